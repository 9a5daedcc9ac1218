// What a refusal of the service says, and which form field it is about.

// An error's text: the service's message (api/errors.py), FastAPI's detail, or the status line.
export function errorText(error) {
  const body = error.body || {};
  if (typeof body.detail === "string") return body.detail;
  return body.message || error.message;
}

// [field, problem] pairs of a 422: from its detail [{loc: ["body", field, ...], msg}] (the coding API's
// and FastAPI's own), its `parameter`, or the "field: problem" parts of its message. The field is null
// when none of `fields` is named.
export function fieldProblems(body, text, fields) {
  const fieldIn = (path) => path.map(String).find((part) => fields.includes(part)) || null;
  if (Array.isArray(body.detail)) return body.detail.map((problem) => [fieldIn(problem.loc || []), problem.msg]);
  if (body.parameter && fields.includes(body.parameter)) return [[body.parameter, text]];
  return text.split("; ").map((part) => {
    const named = /^([\w.[\]]+): (.*)$/s.exec(part);
    return named ? [fieldIn(named[1].split(/[.[\]]+/)), part] : [null, part];
  });
}
