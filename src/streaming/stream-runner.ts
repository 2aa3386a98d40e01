import { Injectable } from '@nestjs/common';
import { AppException } from '../common';
import type { ComputeRequestContext } from '../simulation/client-abort.decorator';
import { ComputeAdmissionService } from '../simulation/compute-admission.service';
import { simulateResponseOf } from '../simulation/compute-mapping';
import type { SimulateProgress } from '../simulation/compute-task';
import type { SimulationRequest } from '../simulation/core';
import { FEATURE_NAMES, FeatureStreamParamsDto, SimulationLiveParamsDto } from './dto/stream-params.dto';
import type { ServerType } from './protocol';

/** Where a stream's frames go (the connection's send queue). */
export type StreamSink = (type: ServerType, payload: Record<string, unknown>) => void;

/** The /simulate request of a stream's params (the same mapping as SimulationService.simulate). */
function simulationRequest(p: SimulationLiveParamsDto | FeatureStreamParamsDto, steps: number): SimulationRequest {
  return {
    seed: p.seed,
    gridSize: p.grid_size,
    steps,
    alpha: p.alpha,
    spikeProbability: p.spike_probability,
    turingEnabled: p.turing_enabled,
    thresholdMv: p.threshold_mV,
  };
}

/** A snapshot's features in FEATURE_NAMES order, packed into `into` at `offset`. */
function pack(p: SimulateProgress, into: Float64Array, offset: number): void {
  into.set([p.potMeanMv, p.potStdMv, p.potMinMv, p.potMaxMv, p.activeCells, p.activityRatio, p.fractalDimension, p.totalEnergy, p.spatialVariance], offset);
}

const FEATURE_COUNT = FEATURE_NAMES.length;

/** A 4xx/5xx of compute admission or the pool, as the `message` of an `error` frame. */
export function streamErrorMessage(err: unknown): string {
  return err instanceof AppException ? err.message : 'The stream failed';
}

/**
 * Runs the streams' computations on the worker pool through fair admission (the caller's compute
 * share and work budget apply as to /simulate), with per-step progress from the worker thread.
 * Aborting `request.signal` cancels the task (queued: dropped; running: its thread is replaced).
 */
@Injectable()
export class StreamRunner {
  constructor(private readonly admission: ComputeAdmissionService) {}

  /**
   * simulation_live: one /simulate run; a `simulation_state` every `update_interval_steps` and on
   * the last step, then `simulation_complete` whose final_metrics are /simulate's response fields.
   */
  async simulationLive(streamId: string, p: SimulationLiveParamsDto, request: ComputeRequestContext, sink: StreamSink): Promise<void> {
    const { output } = await this.admission.run(
      { kind: 'simulate', params: simulationRequest(p, p.steps), progressEvery: p.update_interval_steps },
      request,
      undefined,
      (progress) => {
        if (request.signal.aborted) return;
        const state: Record<string, unknown> = {
          pot_mean_mV: progress.potMeanMv,
          pot_std_mV: progress.potStdMv,
          pot_min_mV: progress.potMinMv,
          pot_max_mV: progress.potMaxMv,
          active_nodes: progress.activeCells,
        };
        if (p.include_full_state) {
          state.field_shape = [progress.gridSize, progress.gridSize];
          state.field_mean = progress.potMeanMv;
        }
        sink('simulation_state', { stream_id: streamId, step: progress.step, total_steps: progress.totalSteps, state, metrics: { growth_events: progress.growthEvents } });
      },
    );
    if (request.signal.aborted) return;
    // POST /simulate's own mapping (and its non-finite check), without the field the protocol lacks.
    const { active_fraction: _activeFraction, ...finalMetrics } = simulateResponseOf(output);
    sink('simulation_complete', { stream_id: streamId, final_metrics: finalMetrics });
  }

  /**
   * stream_features: ONE field simulation of steps_per_update x max_updates steps, computed on a
   * worker thread; update k carries the features of the field after k x steps_per_update steps, so
   * consecutive updates follow the same evolving field (never a field reset each time). The worker
   * computes ahead; the snapshots wait here (one packed Float64Array of max_updates x 9 numbers,
   * at most 72 KB) and one is sent every update_interval_ms. After the last one the server sends `unsubscribe` for the stream.
   */
  async streamFeatures(streamId: string, p: FeatureStreamParamsDto, request: ComputeRequestContext, sink: StreamSink): Promise<void> {
    const wanted = (p.features ?? FEATURE_NAMES).map((name) => [name, FEATURE_NAMES.indexOf(name)] as const);
    // One packed row per update (72 bytes): the whole stream's snapshots, allocated once.
    const rows = new Float64Array(p.max_updates * FEATURE_COUNT);
    let produced = 0;
    let sequence = 0;
    let computed = false;
    let wake: (() => void) | undefined;
    const task = this.admission
      .run({ kind: 'simulate', params: simulationRequest(p, p.steps_per_update * p.max_updates), progressEvery: p.steps_per_update }, request, undefined, (progress) => {
        if (produced < p.max_updates) pack(progress, rows, produced++ * FEATURE_COUNT);
        wake?.();
      })
      .finally(() => {
        computed = true;
        wake?.();
      });
    task.catch(() => undefined);
    while (!request.signal.aborted && sequence < p.max_updates) {
      if (produced === sequence) {
        if (computed) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const row = sequence * FEATURE_COUNT;
      sequence++;
      const chosen: Record<string, number> = {};
      // eslint-disable-next-line security/detect-object-injection -- names from the closed FEATURE_NAMES list (validated)
      for (const [name, index] of wanted) chosen[name] = rows[row + index];
      sink('feature_update', { stream_id: streamId, sequence, features: chosen });
      if (sequence < p.max_updates) await this.pause(p.update_interval_ms, request.signal);
    }
    await task;
    if (!request.signal.aborted) sink('unsubscribe', { stream_id: streamId, reason: 'completed' });
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
