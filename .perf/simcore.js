const { runSimulation } = require('/work/main/dist/simulation/core/simulation-run');
const fs = require('/work/main/dist/simulation/core/field-simulation');
const { createRng } = require('/work/main/dist/simulation/core/prng');
for (let r = 0; r < 4; r++) {
  let t = process.hrtime.bigint();
  const rep = runSimulation({ gridSize: 256, steps: 1000, seed: r });
  const a = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const plan = fs.planFieldRun({ gridSize: 256, steps: 1000 }, createRng(r));
  const b = Number(process.hrtime.bigint() - t) / 1e6;
  console.log('full', a.toFixed(1), 'plan', b.toFixed(1), rep.fractalDimension);
}
