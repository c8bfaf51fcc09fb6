/**
 * The CA bundle this machine makes every Node process load (`NODE_EXTRA_CA_CERTS`), as an
 * environment to add, or undefined when it sets none. Lifeline leaves it out of the processes it
 * starts; suites measure with it too, as a user of this machine starts Lifeline.
 */
export const machineCertificates: Readonly<Record<string, string>> | undefined = process.env
  .NODE_EXTRA_CA_CERTS
  ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
  : undefined;
