import { isPeerExitedError } from '@lifeline/rpc';
import { useEffect, useRef, useState } from 'react';
import type { ControllerSnapshot, SessionController } from '../connection/session-controller.js';
import { describeError } from '../connection/status-message.js';
import { otherSessionsNotice } from '../session/other-sessions-notice.js';
import type { InputSource } from './use-input-routing.js';

/**
 * The line a new session starts with when other sessions are running (see
 * {@link otherSessionsNotice}): asked for once the session is shown, and gone at the first key
 * typed or the first run of the session.
 *
 * @param enabled whether the TUI started a new session (not one it was asked to resume)
 */
export function useOtherSessionsNotice(
  enabled: boolean,
  controller: SessionController,
  input: InputSource,
  snapshot: ControllerSnapshot,
): string | undefined {
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const dismissed = useRef(!enabled);
  const asked = useRef(false);
  const sid = controller.sessionId;
  const shellEditsLines = snapshot.transcript.shellEditsLines === true;
  const ranAlready = snapshot.transcript.history.length > 0;
  if (ranAlready) dismissed.current = true;

  useEffect(() => {
    if (dismissed.current) return undefined;
    return input.subscribe(() => {
      dismissed.current = true;
      setNotice(undefined);
    });
  }, [input]);

  useEffect(() => {
    if (asked.current || dismissed.current || !snapshot.attached || sid === undefined) return;
    asked.current = true;
    controller.listSessions().then(
      (sessions) => {
        if (!dismissed.current) setNotice(otherSessionsNotice(sessions, sid, shellEditsLines));
      },
      (error: unknown) => {
        // The gateway went away meanwhile: its recovery says so, and the line is only a hint.
        if (isPeerExitedError(error)) return;
        controller.say({
          text: `could not list the other sessions: ${describeError(error)}`,
          tone: 'warning',
        });
      },
    );
  }, [controller, snapshot.attached, sid, shellEditsLines]);

  return dismissed.current ? undefined : notice;
}
