/**
 * A rejected value as an error message shows it, so that its type can be read off: a string in
 * double quotes (`"5"`, never `5`), a number, boolean, `null`, `undefined` or bigint (`5n`) as it
 * is written in code, anything else by its kind (`a function`, `an array`, `an object`).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}
