import { describe, expect, test } from 'vitest';
import { InputMasking, maskedText } from './input-masking.js';

describe('InputMasking', () => {
  test('input the terminal reads unseen is masked; the terminal is asked once between outputs and lines', () => {
    let asked = 0;
    let unseen = true;
    const masking = new InputMasking(() => {
      asked += 1;
      return unseen;
    });
    expect(masking.payload('hunter', 1, false)).toEqual({
      type: 'input',
      data: '***',
      masked: true,
    });
    expect(masking.payload('2\r', 1, false)).toEqual({
      type: 'input',
      data: '***\r',
      masked: true,
    });
    expect(asked).toBe(1);
    unseen = false;
    expect(masking.payload('ls\r', 1, false)).toEqual({ type: 'input', data: 'ls\r' });
    expect(asked).toBe(2);
    masking.outputSeen();
    masking.payload('x', 1, false);
    expect(asked).toBe(3);
  });

  test('keys typed at the shell’s own line editor are kept as typed without asking the terminal', () => {
    let asked = 0;
    const masking = new InputMasking(() => {
      asked += 1;
      return true;
    });
    expect(masking.payload('ls -l', 1, false, true)).toEqual({ type: 'input', data: 'ls -l' });
    expect(asked).toBe(0);
    // A secret stays masked there too; a program reading unseen is asked about, as before.
    expect(masking.payload('token', 1, true, true)).toMatchObject({ masked: true });
    expect(masking.payload('hunter2', 1, false)).toMatchObject({ masked: true });
    expect(asked).toBe(1);
  });

  test('secret input is masked whatever the terminal does', () => {
    const masking = new InputMasking(() => false);
    expect(masking.payload('token', 1, true)).toEqual({ type: 'input', data: '***', masked: true });
  });

  test('maskedText keeps control characters and hides the length of what is between them', () => {
    expect(maskedText('ab\rcdef\x7f')).toBe('***\r***\x7f');
  });
});
