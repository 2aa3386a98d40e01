import { LineBatchStream } from './line-batch.stream';

function target() {
  const chunks: string[] = [];
  let synced = 0;
  return {
    chunks,
    get synced() {
      return synced;
    },
    write: (chunk: string) => {
      chunks.push(chunk);
      return true;
    },
    flushSync: () => {
      synced++;
    },
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('LineBatchStream', () => {
  it('writes the lines of one event-loop turn as one chunk, in order, by the end of that turn', async () => {
    const t = target();
    const s = new LineBatchStream(t);
    s.write('a\n');
    s.write('b\n');
    s.write('c\n');
    expect(t.chunks).toEqual([]);
    await nextTurn();
    expect(t.chunks).toEqual(['a\nb\nc\n']);
    s.write('d\n');
    await nextTurn();
    expect(t.chunks).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes at once when the batch reaches its size limit', () => {
    const t = target();
    const s = new LineBatchStream(t, 10);
    s.write('12345\n');
    expect(t.chunks).toEqual([]);
    s.write('67890\n');
    expect(t.chunks).toEqual(['12345\n67890\n']);
  });

  it('flushSync hands over what is waiting and syncs the destination', () => {
    const t = target();
    const s = new LineBatchStream(t);
    s.write('last words\n');
    s.flushSync();
    expect(t.chunks).toEqual(['last words\n']);
    expect(t.synced).toBe(1);
    s.flush();
    expect(t.chunks).toHaveLength(1);
  });
});
