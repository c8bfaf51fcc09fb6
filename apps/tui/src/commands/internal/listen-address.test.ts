import { describe, expect, test } from 'vitest';
import { parseListenAddress } from './listen-address.js';

describe('parseListenAddress', () => {
  test.each([
    ['7777', { host: '127.0.0.1', port: 7777, loopback: true }],
    ['localhost:0', { host: 'localhost', port: 0, loopback: true }],
    ['[::1]:7777', { host: '::1', port: 7777, loopback: true }],
    ['127.0.0.2:7777', { host: '127.0.0.2', port: 7777, loopback: true }],
    ['127.example.com:7777', { host: '127.example.com', port: 7777, loopback: false }],
    ['0.0.0.0:7777', { host: '0.0.0.0', port: 7777, loopback: false }],
    ['[::]:80', { host: '::', port: 80, loopback: false }],
    ['192.168.1.5:7777', { host: '192.168.1.5', port: 7777, loopback: false }],
  ])('%s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  test.each(['', 'host:', ':7777', '70000', 'a:b:7777', '::1:7777', 'ws://127.0.0.1:7777'])(
    'refuses %j',
    (text) => {
      expect(() => parseListenAddress(text)).toThrow(/--listen takes \[HOST:\]PORT/);
    },
  );
});
