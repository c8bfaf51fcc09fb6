import { expect, test } from 'vitest';
import { describeValue } from './describe-value.js';

test('a rejected value is shown so that its type can be read off', () => {
  expect(describeValue('5')).toBe('"5"');
  expect(describeValue('')).toBe('""');
  expect(describeValue(5)).toBe('5');
  expect(describeValue(Number.NaN)).toBe('NaN');
  expect(describeValue(Number.POSITIVE_INFINITY)).toBe('Infinity');
  expect(describeValue(5n)).toBe('5n');
  expect(describeValue(true)).toBe('true');
  expect(describeValue(undefined)).toBe('undefined');
  expect(describeValue(null)).toBe('null');
  expect(describeValue(Symbol('x'))).toBe('Symbol(x)');
  expect(describeValue(() => 5)).toBe('a function');
  expect(describeValue([5])).toBe('an array');
  expect(describeValue({ value: 5 })).toBe('an object');
});
