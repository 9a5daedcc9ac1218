// The writes of a position from the form: save (a new position, or a new revision of the open one, with
// the revision it was made to) and retract; each refusal shown in the form.

import { offerEntity } from "./coding-create.js";
import { message } from "./dom.js";
import { errorText } from "./coding-errors.js";

const SLUG = /^[a-z0-9-]+$/; // an entity's id (graph/namespaces.py's SLUG_PATTERN)

// Save the form's position as `view`'s coder (offsets in UTF-16 units, as the selection counts them).
export async function savePosition(view) {
  const body = view.form.body();
  const editing = view.form.editing;
  const unknown = (field, items, section) => {
    if (body[field] && !items.some((item) => item.id === body[field]))
      offerEntity(view.newEntity, view.form.controls[field].value.trim(), section);
  };
  // A name that is no id and no label of the registry cannot be an entity: say so here, and offer one.
  const named = [
    ["holder", view.registry.holders, "stakeholders"],
    ["target", view.registry.targets, "programs"],
  ];
  const unnamed = named.filter(([field]) => body[field] && !SLUG.test(body[field]));
  if (unnamed.length) {
    const detail = unnamed.map(([field]) => ({
      loc: ["body", field],
      msg: `no entity is named '${body[field]}': pick one or create it`,
    }));
    view.form.showError({ status: 422, body: { detail }, message: "" });
    return unnamed.forEach((args) => unknown(...args));
  }
  try {
    const answer = editing
      ? await view.session.send("PUT", `positions/${encodeURIComponent(editing.id)}?offsets=utf16`, {
          ...body,
          replaces: view.revision,
        })
      : await view.session.send("POST", `documents/${encodeURIComponent(view.slug)}/positions?offsets=utf16`, body);
    await view.saved(answer, editing ? "Saved a new revision of" : "Saved");
  } catch (error) {
    view.form.showError(error);
    if (error.status === 409)
      view.form.say(`${errorText(error)} Someone changed it since you opened it: open it again to see their revision.`, "error");
    if (error.status === 422) named.forEach((args) => unknown(...args));
  }
}

// Retract the open position, with the form's reason; its history stays open to restore it from.
export async function retractPosition(view) {
  const { editing } = view.form;
  const reason = view.form.controls.reason.value.trim();
  if (!editing) return;
  if (!reason)
    return view.form.showError({
      status: 422,
      body: { parameter: "reason" },
      message: "reason: say why the position is retracted",
    });
  try {
    await view.session.send("DELETE", `positions/${encodeURIComponent(editing.id)}?${new URLSearchParams({ reason })}`);
    view.positions = await view.fetchPositions(view.slug);
    view.cancel();
    view.draw();
    message(view.status, `Retracted position ${editing.id}: its history can restore it.`);
    await view.history.show(editing.id); // it is in no list now: here alone can it be restored
  } catch (error) {
    view.form.showError(error);
  }
}
