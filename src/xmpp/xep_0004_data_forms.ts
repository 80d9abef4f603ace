/**
 * XEP-0004: Data Forms — the forms ad-hoc commands ask with and answer in.
 *
 * @see https://xmpp.org/extensions/xep-0004.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The data forms namespace. */
export const NS_DATA_FORMS = "jabber:x:data";

/** One field of a form (§3.3). */
export interface FormField {
  var: string;
  type: "text-single" | "text-multi" | "boolean" | "fixed" | "hidden";
  label?: string;
  /** The value; a `text-multi` value is split into lines. */
  value?: string;
  required?: boolean;
}

/** A form to fill in, a form's result, or a submission. */
export interface Form {
  type: "form" | "result" | "submit" | "cancel";
  title?: string;
  instructions?: string;
  fields: FormField[];
}

/** Builds an `<x xmlns='jabber:x:data'/>`. */
export function buildForm(form: Form): XmlElement {
  return xml(
    "x",
    { xmlns: NS_DATA_FORMS, type: form.type },
    form.title === undefined ? undefined : xml("title", {}, form.title),
    form.instructions === undefined ? undefined : xml("instructions", {}, form.instructions),
    ...form.fields.map(buildField),
  );
}

function buildField(field: FormField): XmlElement {
  const values = field.value === undefined
    ? []
    : field.type === "text-multi"
    ? field.value.split("\n")
    : [field.value];
  return xml(
    "field",
    { var: field.var, type: field.type, label: field.label },
    field.required === true ? xml("required") : undefined,
    ...values.map((value) => xml("value", {}, value)),
  );
}

/**
 * The values of a submitted form, by field name (`text-multi` values joined by newlines).
 *
 * @param parent The element that holds the form (e.g. a `<command/>`).
 * @returns `undefined` when it holds no form, or one of another type than `submit`.
 */
export function readSubmission(parent: XmlElement): Map<string, string> | undefined {
  const x = parent.getChild("x", NS_DATA_FORMS);
  if (x === undefined || x.attrs.type !== "submit") return undefined;
  const values = new Map<string, string>();
  for (const field of x.getChildren("field")) {
    const name = field.attrs.var;
    if (name === undefined) continue;
    values.set(name, field.getChildren("value").map((value) => value.text()).join("\n"));
  }
  return values;
}

/** Whether a submitted boolean value is true (§3.3: `1` or `true`). */
export function isTrue(value: string | undefined): boolean {
  return value === "1" || value === "true";
}
