#!/usr/bin/env node
// What npm users get, checked from the packed tarballs outside the workspace:
// - every tarball: no `workspace:` or `catalog:` range left, no sourcemaps, tests or test utilities;
// - all tarballs installed with npm in one project, every export subpath imported from ESM and
//   required from CommonJS, and type-checked from TypeScript projects (node16, nodenext CommonJS,
//   bundler), and each package with peer ranges type-checked against the lowest version of each;
// - the CLI installed alone, the way `npm install --global @lifeline/cli` installs it, with no
//   compiler on PATH: no install script runs, its size is reported against the goal, and
//   `lifeline exec` runs a command through the gateway, a session host, a PTY and a shell.
// Usage: node scripts/release-check.mjs [--node /path/to/another/node]...
// The run-time checks run under this Node and under every `--node` given.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const installSizeGoalBytes = 15 * 1024 * 1024;
/** The prebuilt PTY addons, one package per platform; not counted against the size goal. */
const ptyBinaryPackage = /^@lydell\/node-pty-[a-z0-9]+-[a-z0-9]+$/;
const cliName = '@lifeline/cli';
/**
 * Packages CommonJS can load with `import()` only: the TUI's renderer (yoga-layout) awaits its
 * WebAssembly at the top level, which `require(esm)` refuses with ERR_REQUIRE_ASYNC_MODULE.
 */
const importOnly = new Set([cliName]);

const { values: options } = parseArgs({
  options: { node: { type: 'string', multiple: true, default: [] } },
});
const nodes = [process.execPath, ...options.node.map((node) => path.resolve(node))];
for (const node of nodes) {
  if (!fs.existsSync(node))
    throw new Error(`--node ${node}: no such file; give the path of a node binary`);
}

const root = path.resolve(import.meta.dirname, '..');
const workspaceDirs = ['packages', 'apps'].flatMap((group) =>
  fs
    .readdirSync(path.join(root, group))
    .map((name) => path.join(root, group, name))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json'))),
);
const published = workspaceDirs
  .map((dir) => ({
    dir,
    manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => manifest.private !== true);
const catalogVersion = (name) => {
  const workspaceYaml = fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  const match = new RegExp(`^ {2}'?${name.replace('/', '\\/')}'?: (.+)$`, 'm').exec(workspaceYaml);
  if (!match?.[1]) throw new Error(`pnpm-workspace.yaml has no catalog entry for ${name}`);
  return match[1];
};

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-release-check-'));
const tarballDir = path.join(scratch, 'tarballs');
fs.mkdirSync(tarballDir);
/** Runs a command, its output captured, its errors shown; `node` decides which Node runs it. */
const run = (command, args, cwd, { node = process.execPath, env = {} } = {}) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
      ...env,
    },
  });
const nodeLabel = (node) =>
  `node ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}`;
const writeJson = (file, value) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};
/** Ends the session hosts `lifeline exec` left running under `stateDir`: nothing outlives the check. */
const killSessionHosts = (stateDir) => {
  const sessions = path.join(stateDir, 'sessions');
  for (const sid of fs.existsSync(sessions) ? fs.readdirSync(sessions) : []) {
    const lock = path.join(sessions, sid, 'host.lock');
    const pid = fs.existsSync(lock)
      ? Number.parseInt(fs.readFileSync(lock, 'utf8'), 10)
      : Number.NaN;
    if (!Number.isInteger(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;
    }
  }
};
const fail = (message) => {
  throw new Error(`release:check: ${message}`);
};

try {
  // 1. Pack, and look inside each tarball.
  const tarballs = {};
  const subpaths = {};
  for (const { dir, manifest } of published) {
    const tarball = run('pnpm', ['pack', '--pack-destination', tarballDir], dir)
      .trim()
      .split('\n')
      .at(-1);
    tarballs[manifest.name] = `file:${tarball}`;
    const packed = JSON.parse(run('tar', ['-xOzf', tarball, 'package/package.json'], scratch));
    const ranges = {
      ...packed.dependencies,
      ...packed.peerDependencies,
      ...packed.optionalDependencies,
    };
    for (const [name, range] of Object.entries(ranges)) {
      if (/^(workspace|catalog):/.test(range))
        fail(`${manifest.name} is packed with ${name}@${range}; publish with pnpm`);
    }
    const shipped = run('tar', ['-tzf', tarball], scratch).trim().split('\n');
    const unwanted = shipped.filter((file) =>
      /\.map$|\.test\.tsx?$|\/__fixtures__\/|\/test-utils\//.test(file),
    );
    if (unwanted.length > 0) fail(`${manifest.name} ships ${unwanted.join(', ')}`);
    subpaths[manifest.name] = Object.keys(packed.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => manifest.name + subpath.slice(1));
    const size = fs.statSync(tarball).size;
    console.log(
      `packed   ${manifest.name}: ${shipped.length} files, ${(size / 1024).toFixed(0)} KB`,
    );
  }
  const specifiers = Object.values(subpaths).flat();

  // 2. Every package in one project: ESM, CommonJS and TypeScript consumers.
  const project = path.join(scratch, 'consumers');
  writeJson(path.join(project, 'package.json'), {
    name: 'release-check-consumers',
    private: true,
    type: 'module',
    dependencies: tarballs,
    devDependencies: {
      typescript: catalogVersion('typescript'),
      '@types/node': catalogVersion('@types/node'),
    },
    overrides: tarballs,
  });
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
  console.log(`install  ${published.length} tarballs with npm in an ESM project`);

  fs.writeFileSync(
    path.join(project, 'esm.mjs'),
    `const names = {};\nfor (const specifier of ${JSON.stringify(specifiers)}) names[specifier] = Object.keys(await import(specifier)).sort();\nconsole.log(JSON.stringify(names));\n`,
  );
  fs.writeFileSync(
    path.join(project, 'cjs.cjs'),
    [
      'const names = {};',
      `for (const specifier of ${JSON.stringify(specifiers)}) {`,
      '  try {',
      "    names[specifier] = Object.keys(require(specifier)).filter((name) => name !== '__esModule' && name !== 'module.exports').sort();",
      '  } catch (error) {',
      "    if (error.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;",
      '    names[specifier] = error.code;',
      '  }',
      '}',
      'console.log(JSON.stringify(names));',
      '',
    ].join('\n'),
  );
  for (const node of nodes) {
    const esm = JSON.parse(run(node, ['esm.mjs'], project, { node }));
    const cjs = JSON.parse(
      run(node, ['--no-warnings=ExperimentalWarning', 'cjs.cjs'], project, { node }),
    );
    for (const specifier of specifiers) {
      if (esm[specifier].length === 0) fail(`import('${specifier}') has no exports`);
      const packageName = Object.keys(subpaths).find((name) => subpaths[name].includes(specifier));
      if (importOnly.has(packageName)) {
        if (cjs[specifier] !== 'ERR_REQUIRE_ASYNC_MODULE')
          fail(`require('${specifier}') works now: say so in its README`);
      } else if (JSON.stringify(cjs[specifier]) !== JSON.stringify(esm[specifier])) {
        fail(
          `require('${specifier}') gives ${cjs[specifier]}; import gives ${esm[specifier].join(', ')}`,
        );
      }
    }
    console.log(
      `import   ${specifiers.length} subpaths from ESM, require() them from CommonJS (${[...importOnly].join(', ')}: import() only) under ${nodeLabel(node)}`,
    );
  }

  const typeProjects = {
    'node16 (ESM)': {
      dir: 'ts-node16',
      type: 'module',
      compilerOptions: { module: 'node16', moduleResolution: 'node16' },
    },
    'nodenext (CommonJS)': {
      dir: 'ts-nodenext-cjs',
      type: 'commonjs',
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
    },
    bundler: {
      dir: 'ts-bundler',
      type: 'module',
      compilerOptions: { module: 'preserve', moduleResolution: 'bundler' },
    },
  };
  const typeCheck = specifiers
    .map((specifier, index) => `import * as module${index} from '${specifier}';`)
    .join('\n');
  for (const [label, { dir, type, compilerOptions }] of Object.entries(typeProjects)) {
    const tsProject = path.join(project, dir);
    writeJson(path.join(tsProject, 'package.json'), {
      name: `release-check-${dir}`,
      private: true,
      type,
    });
    writeJson(path.join(tsProject, 'tsconfig.json'), {
      compilerOptions: {
        ...compilerOptions,
        target: 'es2022',
        strict: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['check.ts'],
    });
    const uses = specifiers.map((_, index) => `module${index}`).join(', ');
    fs.writeFileSync(
      path.join(tsProject, 'check.ts'),
      `${typeCheck}\nexport const modules = [${uses}];\n`,
    );
    run(
      process.execPath,
      [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsProject],
      tsProject,
    );
    console.log(
      `types    ${specifiers.length} subpaths resolve and type-check for a TypeScript ${label} project`,
    );
  }

  // 2b. Each package whose peers are ranges, with the lowest version of each range installed: its
  // types must hold for every version it accepts, not only the one it was built with.
  for (const { manifest } of published) {
    const lowest = Object.entries(manifest.peerDependencies ?? {})
      .map(([name, range]) => [name, /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1]])
      .filter(([, version]) => version !== undefined);
    if (lowest.length === 0) continue;
    const lowProject = path.join(
      scratch,
      `lowest-peers-${manifest.name.replace('@lifeline/', '')}`,
    );
    writeJson(path.join(lowProject, 'package.json'), {
      name: 'release-check-lowest-peers',
      private: true,
      type: 'module',
      dependencies: { [manifest.name]: tarballs[manifest.name], ...Object.fromEntries(lowest) },
      devDependencies: {
        typescript: catalogVersion('typescript'),
        '@types/node': catalogVersion('@types/node'),
      },
      overrides: tarballs,
    });
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], lowProject);
    writeJson(path.join(lowProject, 'tsconfig.json'), {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['check.ts'],
    });
    const own = subpaths[manifest.name];
    fs.writeFileSync(
      path.join(lowProject, 'check.ts'),
      `${own.map((specifier, index) => `import * as module${index} from '${specifier}';`).join('\n')}\nexport const modules = [${own.map((_, index) => `module${index}`).join(', ')}];\n`,
    );
    const peers = lowest.map(([name, version]) => `${name}@${version}`).join(', ');
    try {
      run(
        process.execPath,
        [path.join(lowProject, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', lowProject],
        lowProject,
      );
    } catch (error) {
      const errors = String(error.stdout ?? '').split('\n');
      fail(
        `${manifest.name}'s types fail with ${peers}, which its peer ranges accept (raise the range): ${errors.length} lines from tsc, first ${errors.slice(0, 3).join(' | ')}`,
      );
    }
    console.log(`types    ${manifest.name} type-checks with the lowest peers it accepts: ${peers}`);
  }

  // 3. The CLI alone, installed with no compiler on PATH.
  const toolbin = path.join(scratch, 'toolbin');
  fs.mkdirSync(toolbin);
  for (const tool of ['node', 'npm', 'sh', 'tar', 'gzip']) {
    const found = run('sh', ['-c', `command -v ${tool}`], scratch).trim();
    fs.symlinkSync(found, path.join(toolbin, tool));
  }
  const cliProject = path.join(scratch, 'cli');
  const { [cliName]: cliTarball, ...otherTarballs } = tarballs;
  writeJson(path.join(cliProject, 'package.json'), {
    name: 'release-check-cli',
    private: true,
    dependencies: { [cliName]: cliTarball },
    overrides: otherTarballs,
  });
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict'],
    cliProject,
    {
      env: { PATH: toolbin },
    },
  );
  const installed = JSON.parse(run('npm', ['query', '*'], cliProject)).filter(
    (entry) => entry.location !== '',
  );
  const scripted = installed.filter(
    (entry) =>
      ['preinstall', 'install', 'postinstall'].some((script) => entry.scripts?.[script]) ||
      fs.existsSync(path.join(entry.realpath ?? entry.path, 'binding.gyp')),
  );
  if (scripted.length > 0)
    fail(
      `installing the CLI runs install scripts or node-gyp: ${scripted.map((entry) => entry.name).join(', ')}`,
    );
  const directorySize = (dir) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0);
  const sizes = installed.map((entry) => ({ name: entry.name, size: directorySize(entry.path) }));
  const total = sizes.reduce((sum, { size }) => sum + size, 0);
  const ptyBinary = sizes
    .filter(({ name }) => ptyBinaryPackage.test(name))
    .reduce((sum, { size }) => sum + size, 0);
  const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  console.log(
    `install  ${cliName} alone, no compiler on PATH, no install script: ${installed.length} packages, ` +
      `${megabytes(total)} (${megabytes(total - ptyBinary)} without the PTY binary; goal ≤ ${megabytes(installSizeGoalBytes)})`,
  );
  if (total - ptyBinary > installSizeGoalBytes)
    fail(`the CLI installs ${megabytes(total - ptyBinary)} besides the PTY binary`);

  const bin = (name) => path.join(cliProject, 'node_modules', '.bin', name);
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  const stateDir = path.join(scratch, 'state');
  const env = { HOME: home, LIFELINE_HOME: stateDir, SHELL: '/bin/sh', LANG: 'C.UTF-8' };
  try {
    for (const node of nodes) {
      run(bin('lifeline'), ['--help'], cliProject, { node, env });
      run(bin('lifeline-gateway'), ['--help'], cliProject, { node, env });
      const exec = run(
        bin('lifeline'),
        ['exec', '--new', '--json', '--', 'echo', 'from-the-tarballs'],
        cliProject,
        { node, env },
      );
      const result = JSON.parse(exec);
      if (result.exitCode !== 0 || result.output.trim() !== 'from-the-tarballs')
        fail(`lifeline exec from the tarballs printed ${exec}`);
      console.log(
        `run      lifeline --help, lifeline-gateway --help, lifeline exec --new -- echo → exit 0 under ${nodeLabel(node)}`,
      );
    }
  } finally {
    killSessionHosts(stateDir);
  }
  console.log(
    `release:check passed: ${published.length} packages under ${nodes.length} Node version(s)`,
  );
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
