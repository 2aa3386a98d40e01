import { Adam } from './adam';
import { fractalDimension } from './box-counting';
import { ACTIVE_THRESHOLD_V, DEFAULT_ALPHA, DEFAULT_SPIKE_PROBABILITY, IFS_TRANSFORMS, VALIDATION_IFS_POINTS } from './constants';
import { activeMask, summariseField } from './field-summary';
import { simulateField } from './field-simulation';
import { generateIfs } from './ifs';
import { nernstPotential } from './nernst';
import { MyceliumNetwork, mseLoss } from './network';
import { RNG_STREAM, RandomSource, createRng, permutation } from './prng';

/**
 * The validation cycle: build 16 training samples from simulated fields,
 * train the small network with Adam for a few epochs, and report losses plus statistics of the
 * fields, an example field and an IFS run.
 *
 * Random streams (each its own generator): stream MAIN of `seed` builds the dataset; stream MAIN
 * of `seed + 1` the example field and its IFS; stream NETWORK of `seed` initialises the network
 * and draws each epoch's shuffle.
 */
export interface ValidationConfig {
  seed: number;
  epochs: number;
  batchSize: number;
  gridSize: number;
  steps: number;
  turingEnabled: boolean;
  quantumJitter: boolean;
}

export const DEFAULT_VALIDATION: Readonly<ValidationConfig> = Object.freeze({
  seed: 42,
  epochs: 1,
  batchSize: 4,
  gridSize: 64,
  steps: 64,
  turingEnabled: true,
  quantumJitter: false,
});

export const VALIDATION_SAMPLES = 16;

/** From symbolic evaluation in the reference; reported verbatim. */
export const NERNST_SYMBOLIC_K_MV = -89.01066911987905;

export interface ValidationReport {
  lossStart: number;
  lossFinal: number;
  lossDrop: number;
  potMinMv: number;
  potMaxMv: number;
  exampleFractalDim: number;
  lyapunovExponent: number;
  growthEvents: number;
  nernstSymbolicMv: number;
  nernstNumericMv: number;
}

export interface ValidationDataset {
  /** 16 x 4 float32 features: D, mean*100, std*100, max*100 (volts x 100, not normalised). */
  features: Float32Array;
  /** 16 float32 targets: 0.5 D + 0.2 mean100 - 0.1 std100 in float32. */
  targets: Float32Array;
  potMinV: number;
  potMaxV: number;
  lyapunovMean: number;
}

function checkConfig(c: ValidationConfig): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}`);
  };
  int('seed', c.seed, 0);
  int('epochs', c.epochs, 1);
  int('batchSize', c.batchSize, 1);
  int('gridSize', c.gridSize, 1);
  int('steps', c.steps, 0);
}

const f32 = Math.fround;
const HALF = f32(0.5);
const FIFTH = f32(0.2);
const TENTH = f32(0.1);
const HUNDRED = f32(100);

/** Builds the 16 samples from one generator: per sample a field simulation, then an IFS run. */
export function buildValidationDataset(config: ValidationConfig, rng: RandomSource): ValidationDataset {
  const features = new Float32Array(VALIDATION_SAMPLES * 4);
  const targets = new Float32Array(VALIDATION_SAMPLES);
  let potMin = Infinity;
  let potMax = -Infinity;
  let lyapunovSum = 0;
  for (let s = 0; s < VALIDATION_SAMPLES; s++) {
    const { field, gridSize } = simulateField(
      {
        gridSize: config.gridSize,
        steps: config.steps,
        alpha: DEFAULT_ALPHA,
        spikeProbability: DEFAULT_SPIKE_PROBABILITY,
        turingEnabled: config.turingEnabled,
        quantumJitter: config.quantumJitter,
      },
      rng,
    );
    const summary = summariseField(field, gridSize, ACTIVE_THRESHOLD_V);
    potMin = Math.min(potMin, summary.minV);
    potMax = Math.max(potMax, summary.maxV);
    const d = f32(summary.fractalDimension);
    const mean100 = f32(f32(summary.meanV) * HUNDRED);
    const std100 = f32(f32(summary.stdV) * HUNDRED);
    const max100 = f32(f32(summary.maxV) * HUNDRED);
    features.set([d, mean100, std100, max100], s * 4);
    targets[s] = f32(f32(f32(HALF * d) + f32(FIFTH * mean100)) - f32(TENTH * std100));
    lyapunovSum += generateIfs(rng, VALIDATION_IFS_POINTS, IFS_TRANSFORMS).lyapunov;
  }
  return { features, targets, potMinV: potMin, potMaxV: potMax, lyapunovMean: lyapunovSum / VALIDATION_SAMPLES };
}

/**
 * Trains on the dataset: per epoch a fresh permutation, consecutive batches (the last may be
 * smaller), and for each batch the loss before its Adam step. Returns every recorded loss.
 */
export function trainNetwork(
  network: MyceliumNetwork,
  dataset: Pick<ValidationDataset, 'features' | 'targets'>,
  epochs: number,
  batchSize: number,
  shuffleRng: RandomSource,
): number[] {
  const optimiser = new Adam(network.parameters());
  const losses: number[] = [];
  const n = dataset.targets.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(n, shuffleRng);
    for (let start = 0; start < n; start += batchSize) {
      const rows = order.subarray(start, Math.min(start + batchSize, n));
      const x = new Float32Array(rows.length * 4);
      const y = new Float32Array(rows.length);
      rows.forEach((row, r) => {
        x.set(dataset.features.subarray(row * 4, row * 4 + 4), r * 4);
        y[r] = dataset.targets[row];
      });
      const cache = network.forward(x, rows.length);
      const { loss, grad } = mseLoss(cache.y, y);
      losses.push(loss);
      optimiser.step(network.backward(cache, grad));
    }
  }
  return losses;
}

export function runValidationCycle(options: Partial<ValidationConfig> = {}): ValidationReport {
  const config: ValidationConfig = { ...DEFAULT_VALIDATION, ...options };
  checkConfig(config);

  const networkRng = createRng(config.seed, RNG_STREAM.NETWORK);
  const network = MyceliumNetwork.initialised(networkRng);

  const dataset = buildValidationDataset(config, createRng(config.seed, RNG_STREAM.MAIN));
  const losses = trainNetwork(network, dataset, config.epochs, config.batchSize, networkRng);

  const exampleRng = createRng(config.seed + 1, RNG_STREAM.MAIN);
  const example = simulateField(
    {
      gridSize: config.gridSize,
      steps: config.steps,
      alpha: DEFAULT_ALPHA,
      spikeProbability: DEFAULT_SPIKE_PROBABILITY,
      turingEnabled: config.turingEnabled,
      quantumJitter: config.quantumJitter,
    },
    exampleRng,
  );
  const exampleDim = fractalDimension(activeMask(example.field, ACTIVE_THRESHOLD_V), example.gridSize);
  const lyapunov = generateIfs(exampleRng, VALIDATION_IFS_POINTS, IFS_TRANSFORMS).lyapunov;

  const lossStart = losses[0];
  const lossFinal = losses[losses.length - 1];
  return {
    lossStart,
    lossFinal,
    lossDrop: lossStart - lossFinal,
    potMinMv: dataset.potMinV * 1000,
    potMaxMv: dataset.potMaxV * 1000,
    exampleFractalDim: exampleDim,
    lyapunovExponent: lyapunov,
    growthEvents: example.growthEvents,
    nernstSymbolicMv: NERNST_SYMBOLIC_K_MV,
    nernstNumericMv: nernstPotential(1, 0.005, 0.14, 310) * 1000,
  };
}
