/* global document, Node */
// Building DOM nodes for the dashboard: attributes and text only, never HTML parsing.

/** Creates an element: props set attributes (class, text, data-*), children are nodes or text. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replaces a table body's rows, or shows `empty` in one row across `columns` when there are none. */
export function fillTable(id, rows, columns, empty) {
  const body = document.getElementById(id);
  body.replaceChildren(...(rows.length === 0 ? [h('tr', { class: 'empty-row' }, h('td', { colspan: columns, text: empty }))] : rows));
}
