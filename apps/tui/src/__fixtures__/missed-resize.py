# A full-screen program that misses the SIGWINCH of its terminal growing as it takes the alternate
# screen, as vim can while it reads its terminal's answers at start-up: it draws for the size it
# started with, then redraws for the terminal's size on every SIGWINCH after, until it reads q.
import os, signal, sys, termios, time, tty

fd = sys.stdin.fileno()
saved = termios.tcgetattr(fd)
tty.setraw(fd)


def draw(rows):
    cols = os.get_terminal_size(fd).columns
    body = ''.join(f'row {row + 1} of {rows}\r\n' for row in range(rows - 1))
    os.write(1, f'\x1b[H\x1b[2J{body}bottom of {rows} rows (cols {cols})\x1b[H'.encode())


started_rows = os.get_terminal_size(fd).lines
signal.signal(signal.SIGWINCH, signal.SIG_IGN)
os.write(1, b'\x1b[?1049h')
# The terminal grows meanwhile: its SIGWINCH is lost.
time.sleep(1)
draw(started_rows)
signal.signal(signal.SIGWINCH, lambda *_: draw(os.get_terminal_size(fd).lines))
while b'q' not in os.read(fd, 64):
    pass
os.write(1, b'\x1b[?1049l')
termios.tcsetattr(fd, termios.TCSADRAIN, saved)
