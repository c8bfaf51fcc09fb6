import { Box, Text } from 'ink';
import type { TranscriptItem } from './transcript-items.js';

/** One printed piece of the transcript. */
export function TranscriptItemView({ item }: { item: TranscriptItem }) {
  switch (item.kind) {
    case 'command':
      return (
        <Text>
          <Text color="cyan" bold>
            ${' '}
          </Text>
          <Text bold>{item.command}</Text>
        </Text>
      );
    case 'lines':
      return (
        <Box flexDirection="column">
          {item.lines.map((line, index) => (
            <Text key={index}>{line === '' ? ' ' : line}</Text>
          ))}
        </Box>
      );
    case 'hidden':
      return (
        <Text dimColor>
          … {item.count} lines hidden — lifeline replay {item.sid ?? '<sid>'}
        </Text>
      );
    case 'footer':
      return <Text color={item.tone === 'ok' ? 'green' : item.tone === 'failed' ? 'red' : 'yellow'}>{item.text}</Text>;
    case 'note':
      return item.tone === 'info' ? (
        <Text dimColor>{item.text}</Text>
      ) : (
        <Text color={item.tone === 'error' ? 'red' : 'yellow'}>{item.text}</Text>
      );
  }
}
