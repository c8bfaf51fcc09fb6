// The graphic rendition a terminal applies to the characters it writes, folded from SGR
// sequences and rendered back as the parameters that set it from a reset. Rendering from a reset
// lets every line carry its own styles, and folding keeps the state bounded however many
// sequences a program sends.
//
// The rendered form uses only what Ink's tokenizer understands: `;`-separated parameters, the
// 16 colours, `38;5;n`/`48;5;n` and `38;2;r;g;b`/`48;2;r;g;b`. Colon forms are read and rendered
// with `;`; underline styles become a plain underline, and underline colours (`58`) are dropped.

const enum Attribute {
  Bold = 1,
  Dim = 2,
  Italic = 4,
  Underline = 8,
  Blink = 16,
  Inverse = 32,
  Hidden = 64,
  Strikethrough = 128,
  Overline = 256,
}

const attributeCodes: readonly (readonly [Attribute, string])[] = [
  [Attribute.Bold, '1'],
  [Attribute.Dim, '2'],
  [Attribute.Italic, '3'],
  [Attribute.Underline, '4'],
  [Attribute.Blink, '5'],
  [Attribute.Inverse, '7'],
  [Attribute.Hidden, '8'],
  [Attribute.Strikethrough, '9'],
  [Attribute.Overline, '53'],
];

/** Attributes a code sets (positive) or clears (negative); codes 0 and colours are separate. */
const attributeChanges = new Map<number, number>([
  [1, Attribute.Bold],
  [2, Attribute.Dim],
  [3, Attribute.Italic],
  [4, Attribute.Underline],
  [5, Attribute.Blink],
  [6, Attribute.Blink],
  [7, Attribute.Inverse],
  [8, Attribute.Hidden],
  [9, Attribute.Strikethrough],
  [21, Attribute.Underline],
  [53, Attribute.Overline],
  [22, -(Attribute.Bold | Attribute.Dim)],
  [23, -Attribute.Italic],
  [24, -Attribute.Underline],
  [25, -Attribute.Blink],
  [27, -Attribute.Inverse],
  [28, -Attribute.Hidden],
  [29, -Attribute.Strikethrough],
  [55, -Attribute.Overline],
]);

/** The rendered parameters of each combination of attributes, filled in as they are met. */
const renderedAttributes: (string | undefined)[] = [];

function attributeParameters(attributes: number): string {
  let rendered = renderedAttributes[attributes];
  if (rendered === undefined) {
    rendered = attributeCodes
      .filter(([attribute]) => (attributes & attribute) !== 0)
      .map(([, code]) => code)
      .join(';');
    renderedAttributes[attributes] = rendered;
  }
  return rendered;
}

/** At most this many parameters of one sequence are read; real sequences have a handful. */
const maxParameters = 64;

// Parameters of the sequence being applied, reused from call to call: the value of each (-1 when
// empty) and whether it is a sub-parameter (it followed a `:`).
const values = new Int32Array(maxParameters);
const isSubParameter = new Uint8Array(maxParameters);

/** Reads `parameters` into `values`; returns how many there are. */
function readParameters(parameters: string): number {
  let count = 0;
  let value = -1;
  let subParameter = 0;
  for (let index = 0; index <= parameters.length; index++) {
    const code = index < parameters.length ? parameters.charCodeAt(index) : 0x3b;
    if (code >= 0x30 && code <= 0x39) {
      // Saturates: no meaningful parameter has more than three digits.
      value = value < 0 ? code - 0x30 : Math.min(value * 10 + code - 0x30, 100_000);
      continue;
    }
    if (count === maxParameters) break;
    values[count] = value;
    isSubParameter[count] = subParameter;
    count++;
    value = -1;
    subParameter = code === 0x3a ? 1 : 0;
  }
  return count;
}

function byte(index: number, count: number): number | undefined {
  if (index >= count) return undefined;
  const value = values[index] ?? -1;
  return value >= 0 && value <= 255 ? value : undefined;
}

/**
 * Reads the extended colour (`5;n` or `2;r;g;b`) after the `38`, `48` or `58` at `index`, from
 * its sub-parameters or from the parameters that follow. Returns it rendered after `prefix`
 * (`undefined` when malformed) and the index of the last parameter it used.
 */
function extendedColour(
  prefix: string,
  index: number,
  count: number,
): [string | undefined, number] {
  let groupEnd = index + 1;
  while (groupEnd < count && isSubParameter[groupEnd] === 1) groupEnd++;
  const colon = groupEnd > index + 1;
  const mode = index + 1 < count ? values[index + 1] : -1;
  if (mode === 5) {
    const colour = byte(index + 2, count);
    return [
      colour === undefined ? undefined : `${prefix};5;${colour}`,
      colon ? groupEnd - 1 : index + 2,
    ];
  }
  if (mode === 2) {
    // `38:2:r:g:b`, or `38:2:colour-space:r:g:b` as ITU T.416 writes it; `38;2;r;g;b`.
    const first = colon && groupEnd - index >= 6 ? index + 3 : index + 2;
    const red = byte(first, count);
    const green = byte(first + 1, count);
    const blue = byte(first + 2, count);
    const colour =
      red === undefined || green === undefined || blue === undefined
        ? undefined
        : `${prefix};2;${red};${green};${blue}`;
    return [colour, colon ? groupEnd - 1 : index + 4];
  }
  return [undefined, colon ? groupEnd - 1 : index];
}

/** The current graphic rendition; `parameters` is `''` for the default. */
export class SgrPen {
  #attributes = 0;
  #foreground = '';
  #background = '';
  #parameters = '';

  /** SGR parameters that set this rendition after a reset; `''` when it is the default one. */
  get parameters(): string {
    return this.#parameters;
  }

  /** Applies the parameters of one `CSI … m` sequence. */
  apply(parameters: string): void {
    const count = readParameters(parameters);
    for (let index = 0; index < count; index++) {
      // A parameter that is itself a sub-parameter belongs to a group already handled.
      if (isSubParameter[index] === 1) continue;
      const code = Math.max(values[index] ?? 0, 0);
      if (code === 0) {
        this.#attributes = 0;
        this.#foreground = '';
        this.#background = '';
      } else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
        this.#foreground = String(code);
      } else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
        this.#background = String(code);
      } else if (code === 39) {
        this.#foreground = '';
      } else if (code === 49) {
        this.#background = '';
      } else if (code === 38 || code === 48 || code === 58) {
        const [colour, last] = extendedColour(String(code), index, count);
        index = last;
        if (colour !== undefined && code === 38) this.#foreground = colour;
        if (colour !== undefined && code === 48) this.#background = colour;
      } else if (code === 4 && index + 1 < count && isSubParameter[index + 1] === 1) {
        // `4:0` is "no underline"; `4:1`…`4:5` are underline styles.
        if (values[index + 1] === 0) this.#attributes &= ~Attribute.Underline;
        else this.#attributes |= Attribute.Underline;
      } else {
        const change = attributeChanges.get(code);
        if (change !== undefined && change > 0) this.#attributes |= change;
        else if (change !== undefined) this.#attributes &= ~-change;
      }
    }
    this.#parameters = this.#render();
  }

  /** Back to the default rendition. */
  reset(): void {
    this.#attributes = 0;
    this.#foreground = '';
    this.#background = '';
    this.#parameters = '';
  }

  #render(): string {
    let rendered = attributeParameters(this.#attributes);
    if (this.#foreground !== '')
      rendered = rendered === '' ? this.#foreground : `${rendered};${this.#foreground}`;
    if (this.#background !== '')
      rendered = rendered === '' ? this.#background : `${rendered};${this.#background}`;
    return rendered;
  }
}
