import { TextFormatStream } from './text-format.stream';

describe('TextFormatStream', () => {
  const capture = () => {
    const out: string[] = [];
    return { out, stream: new TextFormatStream({ write: (s: string) => out.push(s) }) };
  };

  it('writes the readable dev line with the request id prefix', () => {
    const { out, stream } = capture();
    stream.write(
      JSON.stringify({
        level: 'INFO',
        timestamp: '2026-01-02T03:04:05.678Z',
        logger: 'mfn.access',
        message: 'request completed',
        request_id: '0123456789abcdef',
        method: 'GET',
        status: 200,
      }) + '\n',
    );
    expect(out[0]).toBe('2026-01-02 03:04:05 INFO [01234567] mfn.access: request completed method=GET status=200\n');
  });

  it('passes audit events through as JSON', () => {
    const { out, stream } = capture();
    const line = JSON.stringify({ audit_event: true, action: 'authentication_failure' });
    stream.write(line);
    expect(JSON.parse(out[0])).toEqual({ audit_event: true, action: 'authentication_failure' });
  });
});
