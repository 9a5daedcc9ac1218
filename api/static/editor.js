// The SPARQL editor: CodeMirror 6 with its SPARQL mode, line numbers, history and bracket matching, and
// the service's syntax errors marked where it says they are (CodeMirror's lint diagnostics).

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage,
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

export function createEditor(parent, { onRun, onChange }) {
  const runKey = { key: "Mod-Enter", run: () => (onRun(), true) };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(),
        lintGutter(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(defaultHighlightStyle),
        keymap.of([runKey, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => update.docChanged && onChange()),
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query" }),
      ],
    }),
  });
  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    set text(value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    },
    // Mark a syntax error at the service's 1-based line and column; the mark follows later edits.
    markError(line, column, text) {
      const from = offsetAt(view.state.doc, line, column);
      const rest = view.state.doc.lineAt(from);
      // The word at the position, so the mark can be seen; a point where the line or the text ends.
      const word = /^\S*/.exec(rest.text.slice(from - rest.from))[0];
      const diagnostic = { from, to: from + word.length, severity: "error", message: text, source: "SPARQL" };
      view.dispatch(setDiagnostics(view.state, [diagnostic]));
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    },
    clearErrors() {
      view.dispatch(setDiagnostics(view.state, []));
    },
  };
}

// The document offset of a position the service gives in characters (code points, as its parser counts
// them), which CodeMirror counts in UTF-16 units. A position past the end of a line or of the text, where
// the parser gave up on reaching the end, is put at that end.
export function offsetAt(doc, line, column) {
  if (line > doc.lines) return doc.length;
  const { from, text } = doc.line(Math.max(1, line));
  const characters = Array.from(text).slice(0, Math.max(0, (column || 1) - 1));
  return from + Math.min(characters.join("").length, text.length);
}
