import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Provider } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';

export type UpgradeRefusal = 'address' | 'host' | 'rate_limited' | 'unavailable' | 'origin' | 'missing_api_key' | 'invalid_api_key' | 'expired_api_key' | 'forbidden' | 'locked_out' | 'global_cap' | 'pending_auth_cap' | 'key_cap' | 'shutting_down';
export type DropReason = 'slow_reader';

/** The stream metrics (mfn_ws_*); every label is a fixed vocabulary (message types, reasons). */
export const STREAM_METRIC_PROVIDERS: Provider[] = [
  makeGaugeProvider({ name: 'mfn_ws_connections', help: 'Open WebSocket connections, by path', labelNames: ['path'] }),
  makeCounterProvider({ name: 'mfn_ws_messages_in_total', help: 'WebSocket messages received, by type (invalid: not a protocol frame)', labelNames: ['type'] }),
  makeCounterProvider({ name: 'mfn_ws_messages_out_total', help: 'WebSocket frames sent, by type', labelNames: ['type'] }),
  makeCounterProvider({ name: 'mfn_ws_dropped_total', help: 'WebSocket update frames dropped for a slow reader, by type', labelNames: ['type'] }),
  makeCounterProvider({ name: 'mfn_ws_upgrades_refused_total', help: 'WebSocket upgrades refused, by reason', labelNames: ['reason'] }),
  makeCounterProvider({ name: 'mfn_ws_closed_total', help: 'WebSocket connections closed by the server, by reason', labelNames: ['reason'] }),
  makeGaugeProvider({ name: 'mfn_ws_send_queue_frames', help: 'Frames waiting in the send queues of all WebSocket connections' }),
  makeGaugeProvider({ name: 'mfn_ws_send_queue_peak_frames', help: 'Longest send queue of any WebSocket connection since start' }),
];

@Injectable()
export class StreamMetrics {
  private queued = 0;
  private peak = 0;

  constructor(
    @InjectMetric('mfn_ws_connections') private readonly connections: Gauge<'path'>,
    @InjectMetric('mfn_ws_messages_in_total') private readonly messagesIn: Counter<'type'>,
    @InjectMetric('mfn_ws_messages_out_total') private readonly messagesOut: Counter<'type'>,
    @InjectMetric('mfn_ws_dropped_total') private readonly dropped: Counter<'type'>,
    @InjectMetric('mfn_ws_upgrades_refused_total') private readonly refused: Counter<'reason'>,
    @InjectMetric('mfn_ws_closed_total') private readonly closed: Counter<'reason'>,
    @InjectMetric('mfn_ws_send_queue_frames') private readonly queueFrames: Gauge,
    @InjectMetric('mfn_ws_send_queue_peak_frames') private readonly queuePeak: Gauge,
  ) {}

  opened(path: string): void {
    this.connections.inc({ path });
  }

  gone(path: string): void {
    this.connections.dec({ path });
  }

  received(type: string): void {
    this.messagesIn.inc({ type });
  }

  sent(type: string): void {
    this.messagesOut.inc({ type });
  }

  drop(type: string): void {
    this.dropped.inc({ type });
  }

  upgradeRefused(reason: UpgradeRefusal): void {
    this.refused.inc({ reason });
  }

  closedBy(reason: string): void {
    this.closed.inc({ reason });
  }

  /** A send queue changed by `delta` frames and is now `length` long. */
  queueChanged(delta: number, length: number): void {
    this.queued += delta;
    this.queueFrames.set(this.queued);
    if (length > this.peak) {
      this.peak = length;
      this.queuePeak.set(length);
    }
  }
}
