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

  it('shows the trace and span ids of a traced request', () => {
    const { out, stream } = capture();
    stream.write(
      JSON.stringify({
        level: 'INFO',
        timestamp: '2026-01-02T03:04:05.678Z',
        logger: 'mfn.access',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
        trace_flags: '01',
        message: 'request completed',
        request_id: '0123456789abcdef',
        status: 200,
      }) + '\n',
    );
    expect(out[0]).toBe(
      '2026-01-02 03:04:05 INFO [01234567] mfn.access: request completed status=200 trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331 trace_flags=01\n',
    );
  });

  it('passes audit events through as JSON', () => {
    const { out, stream } = capture();
    const line = JSON.stringify({ audit_event: true, action: 'authentication_failure' });
    stream.write(line);
    expect(JSON.parse(out[0])).toEqual({ audit_event: true, action: 'authentication_failure' });
  });
});

describe('TextFormatStream keeps every field', () => {
  const render = (rec: Record<string, unknown>): string => {
    const out: string[] = [];
    new TextFormatStream({ write: (s: string) => out.push(s) }).write(JSON.stringify(rec));
    return out[0];
  };
  const head = { level: 'INFO', timestamp: '2026-01-02T03:04:05.678Z', env: 'dev', logger: 'mfn.main' };

  it('writes fields outside the access set after the message, arrays and objects as JSON', () => {
    expect(render({ ...head, message: 'MFN Secure Service listening', url: 'http://127.0.0.1:8000', port: 8000, profile: 'dev' })).toBe(
      '2026-01-02 03:04:05 INFO mfn.main: MFN Secure Service listening url=http://127.0.0.1:8000 port=8000 profile=dev\n',
    );
    expect(render({ ...head, level: 'WARNING', message: 'unknown', variables: ['MFN_RATE_LIMT', 'MFN_LOG_LEVL'], counts: { a: 1 } })).toBe(
      '2026-01-02 03:04:05 WARNING mfn.main: unknown variables=["MFN_RATE_LIMT","MFN_LOG_LEVL"] counts={"a":1}\n',
    );
  });

  it('puts the access fields first and quotes strings that would be ambiguous bare', () => {
    const line = render({ ...head, message: 'request completed', action: 'api_request', status: 500, method: 'GET', reason: 'two words', empty: '', ok: false });
    expect(line).toBe('2026-01-02 03:04:05 INFO mfn.main: request completed method=GET status=500 action=api_request reason="two words" empty="" ok=false\n');
  });

  it('leaves out only what the head shows and the process-wide env field', () => {
    const line = render({ ...head, message: 'm', request_id: 'abcdef0123456789', extra: 'x' });
    expect(line).toBe('2026-01-02 03:04:05 INFO [abcdef01] mfn.main: m extra=x\n');
  });
});
