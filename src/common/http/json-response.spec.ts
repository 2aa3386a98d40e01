import express, { Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ServiceHttpAdapter, sendJson } from './json-response';

/**
 * The adapter's reply against a real Express app and real HTTP: JSON bodies are written by
 * sendJson (Express's res.json is made to throw in those routes, so taking it would answer 500),
 * everything else keeps the stock behaviour.
 */
describe('ServiceHttpAdapter.reply', () => {
  const adapter = new ServiceHttpAdapter();
  let server: Server;
  let base: string;

  const withoutResJson = (res: Response) => {
    res.json = () => {
      throw new Error('res.json must not be used for this reply');
    };
  };

  beforeAll(async () => {
    const app = express();
    app.set('etag', false);
    app.get('/handler', (_req, res) => {
      withoutResJson(res);
      res.status(202); // as Nest does before calling reply without a code
      adapter.reply(res, { text: 'grüße ✓', list: [1, 2] });
    });
    app.get('/explicit', (_req, res) => {
      withoutResJson(res);
      adapter.reply(res, [{ a: null }], 409);
    });
    app.get('/typed', (_req, res) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      adapter.reply(res, 'plain words');
    });
    app.get('/empty', (_req, res) => {
      res.status(204);
      adapter.reply(res, { ignored: true });
    });
    app.get('/buffer', (_req, res) => {
      adapter.reply(res, Buffer.from('raw'), 200);
    });
    app.get('/nothing', (_req, res) => {
      adapter.reply(res, undefined, 200);
    });
    app.use((err: Error, _req: express.Request, res: Response, _next: express.NextFunction) => {
      res.status(500).type('text').send(err.message);
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function get(path: string, method = 'GET') {
    const res = await fetch(`${base}${path}`, { method });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, text: bytes.toString('utf8') };
  }

  it('writes a handler JSON body itself, with the status set before the call and the byte length', async () => {
    const { res, bytes, text } = await get('/handler');
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(JSON.parse(text)).toEqual({ text: 'grüße ✓', list: [1, 2] });
  });

  it('uses an explicit status when given one, and keeps the length on HEAD without a body', async () => {
    const { res, text } = await get('/explicit');
    expect(res.status).toBe(409);
    expect(JSON.parse(text)).toEqual([{ a: null }]);
    const head = await get('/handler', 'HEAD');
    expect(head.res.status).toBe(202);
    expect(head.bytes.length).toBe(0);
    expect(Number(head.res.headers.get('content-length'))).toBe(Buffer.byteLength(JSON.stringify({ text: 'grüße ✓', list: [1, 2] })));
  });

  it('leaves a content type the handler chose, bodyless statuses, buffers and empty bodies to the stock reply', async () => {
    const typed = await get('/typed');
    expect(typed.res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(typed.text).toBe('plain words');
    const empty = await get('/empty');
    expect(empty.res.status).toBe(204);
    expect(empty.bytes.length).toBe(0);
    expect(empty.res.headers.get('content-type')).toBeNull();
    const buffer = await get('/buffer');
    expect(buffer.res.status).toBe(200);
    expect(JSON.parse(buffer.text)).toEqual({ type: 'Buffer', data: [114, 97, 119] });
    const nothing = await get('/nothing');
    expect(nothing.res.status).toBe(200);
    expect(nothing.bytes.length).toBe(0);
  });
});

describe('sendJson', () => {
  it('answers exactly what Express res.json answers for the same value', async () => {
    const value = { potential_mV: -89.01066911987907, note: '<é>', nested: { n: [1, 'x', null, true] } };
    const app = express();
    app.set('etag', false);
    app.get('/ours', (_req, res) => sendJson(res, 200, value));
    app.get('/express', (_req, res) => {
      res.status(200).json(value);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const [ours, theirs] = await Promise.all([fetch(`${base}/ours`), fetch(`${base}/express`)]);
      expect(await ours.text()).toBe(await theirs.text());
      for (const name of ['content-type', 'content-length']) expect(ours.headers.get(name)).toBe(theirs.headers.get(name));
      expect(ours.status).toBe(theirs.status);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
