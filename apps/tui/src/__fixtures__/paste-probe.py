# Turns on bracketed paste like an editor would, then prints exactly the bytes it receives
# until it reads END.
import os, sys, termios, tty

fd = sys.stdin.fileno()
saved = termios.tcgetattr(fd)
tty.setraw(fd)
os.write(1, b'\x1b[?2004hPROBE READY\r\n')
received = b''
while b'END' not in received:
    received += os.read(fd, 4096)
termios.tcsetattr(fd, termios.TCSADRAIN, saved)
os.write(1, b'\x1b[?2004l')
print('RECEIVED ' + received.hex())
