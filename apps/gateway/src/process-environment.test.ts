import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { joinNodeOptions, splitNodeOptions } from './node-options.js';
import { hostProcessEnv, internalProcessEnv, userProcessEnv } from './process-environment.js';

const variableName = fc.oneof(
  fc.constantFrom(
    'NODE_EXTRA_CA_CERTS',
    'PATH',
    'HOME',
    'NODE_OPTIONS',
    'MALLOC_ARENA_MAX',
    'LIFELINE_HOME',
    'constructor',
  ),
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/),
);
/** NODE_OPTIONS as users set them, preloads included, and as anything at all. */
const nodeOptions = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        '--require',
        '-r',
        '--import=./register.mjs',
        '/my dir/preload.cjs',
        '--max-old-space-size=200',
        '--title=a "b"',
      ),
      { maxLength: 6 },
    )
    .map(joinNodeOptions),
  fc.string(),
);
const environment = fc
  .tuple(fc.dictionary(variableName, fc.string(), { maxKeys: 12 }), fc.option(nodeOptions))
  .map(([env, options]) => (options === null ? env : { ...env, NODE_OPTIONS: options }));

const preload = /^(--require|-r|--import|--loader|--experimental-loader)(=|$)/;

describe('process environments', () => {
  test('gateways and hosts start without NODE_EXTRA_CA_CERTS and preloads; the shell gets both back as they were', () => {
    fc.assert(
      fc.property(environment, (env) => {
        const internal = internalProcessEnv(env);
        expect(internal.NODE_EXTRA_CA_CERTS).toBeUndefined();
        if (internal.NODE_OPTIONS !== undefined) {
          const words = splitNodeOptions(internal.NODE_OPTIONS);
          expect(words).toBeDefined();
          expect(words?.filter((word) => preload.test(word))).toEqual([]);
        }
        // A host started by a gateway moves nothing twice; the shell sees exactly what the TUI had.
        expect(internalProcessEnv(internal)).toEqual(internal);
        expect(userProcessEnv(internalProcessEnv(internal))).toEqual(env);
      }),
      fuzzParameters('process environment: deferred variables round trip'),
    );
  });

  test('NODE_OPTIONS keeps what is not a preload; without one it is passed on as it is', () => {
    expect(
      internalProcessEnv({
        NODE_OPTIONS: '--require /p.cjs --max-old-space-size=200',
        PATH: '/bin',
      }),
    ).toEqual({
      NODE_OPTIONS: '--max-old-space-size=200',
      LIFELINE_DEFERRED_NODE_OPTIONS: '--require /p.cjs --max-old-space-size=200',
      PATH: '/bin',
    });
    expect(internalProcessEnv({ NODE_OPTIONS: '--enable-source-maps' })).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  test('a variable the shell is given explicitly is not overwritten by the deferred one', () => {
    const internal = internalProcessEnv({
      NODE_EXTRA_CA_CERTS: '/etc/corp.pem',
      NODE_OPTIONS: '-r /p.cjs',
      PATH: '/bin',
    });
    expect(internal).toEqual({
      LIFELINE_DEFERRED_NODE_EXTRA_CA_CERTS: '/etc/corp.pem',
      LIFELINE_DEFERRED_NODE_OPTIONS: '-r /p.cjs',
      PATH: '/bin',
    });
    expect(
      userProcessEnv({
        ...internal,
        NODE_EXTRA_CA_CERTS: '/home/me/other.pem',
        NODE_OPTIONS: '--inspect',
      }),
    ).toEqual({
      NODE_EXTRA_CA_CERTS: '/home/me/other.pem',
      NODE_OPTIONS: '--inspect',
      PATH: '/bin',
    });
  });

  test("hosts run with one malloc arena; the shell gets the user's MALLOC_ARENA_MAX as it was, or none", () => {
    fc.assert(
      fc.property(environment, (env) => {
        const gateway = internalProcessEnv(env);
        const host = hostProcessEnv(gateway);
        expect(host.MALLOC_ARENA_MAX).toBe('1');
        expect(hostProcessEnv(host)).toEqual(host);
        expect(userProcessEnv(host)).toEqual(env);
      }),
      fuzzParameters('process environment: host variables round trip'),
    );
    expect(userProcessEnv(hostProcessEnv({ MALLOC_ARENA_MAX: '4', PATH: '/bin' }))).toEqual({
      MALLOC_ARENA_MAX: '4',
      PATH: '/bin',
    });
    expect(userProcessEnv(hostProcessEnv({ PATH: '/bin' }))).toEqual({ PATH: '/bin' });
    // A value the shell is given explicitly wins.
    expect(userProcessEnv({ ...hostProcessEnv({ PATH: '/bin' }), MALLOC_ARENA_MAX: '2' })).toEqual({
      MALLOC_ARENA_MAX: '2',
      PATH: '/bin',
    });
  });
});
