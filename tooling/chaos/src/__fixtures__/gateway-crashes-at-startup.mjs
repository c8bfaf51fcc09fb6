// A gateway that dies before it is ready, every time it is started.
process.stderr.write(
  'lifeline-gateway: cannot start: the state directory is corrupt (simulated crash at startup)\n',
);
process.exit(1);
