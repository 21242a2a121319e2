/** Text and attribute values in the HTML page: nothing from a report may open a tag or end an attribute. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
