import { defineContract } from '@lifeline/rpc';
import { z } from 'zod';

const echoParams = z.object({
  sid: z.string(),
  seq: z.number(),
  kind: z.string(),
  cwd: z.string(),
  data: z.string(),
});

/** The benchmark API as a typed `@lifeline/rpc` contract, validated with zod on both sides. */
export const benchContract = defineContract({
  requests: {
    echo: { params: echoParams, result: echoParams },
    notifications: {
      params: z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0) }),
      result: z.null(),
    },
    hold: { params: z.object({}), result: z.null() },
  },
  notifications: { 'bench.item': echoParams },
});

/** The zod shape of echo params, for servers that take a raw shape (the MCP SDK). */
export const echoShape = echoParams.shape;
