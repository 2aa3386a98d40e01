const CLAMP_MIN=-0.095, CLAMP_MAX=0.040;
function A(v,out,n,alpha,rowStart,rowEnd){
  for (let i = rowStart; i < rowEnd; i++) {
    const row = i * n; const up = (i === 0 ? n - 1 : i - 1) * n; const down = (i === n - 1 ? 0 : i + 1) * n; const last = row + n - 1;
    let c = v[row]; let x = c + alpha * (v[up] + v[down] + v[last] + v[row + 1] - 4 * c);
    out[row] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    for (let k = row + 1, ku = up + 1, kd = down + 1; k < last; k++, ku++, kd++) {
      c = v[k]; x = c + alpha * (v[ku] + v[kd] + v[k - 1] + v[k + 1] - 4 * c);
      out[k] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    }
    c = v[last]; x = c + alpha * (v[up + n - 1] + v[down + n - 1] + v[last - 1] + v[row] - 4 * c);
    out[last] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
  }
}
function B(v,out,n,alpha,rowStart,rowEnd){
  for (let i = rowStart; i < rowEnd; i++) {
    const row = i * n; const up = (i === 0 ? n - 1 : i - 1) * n; const down = (i === n - 1 ? 0 : i + 1) * n; const last = row + n - 1;
    let c = v[row]; let x = c + alpha * (v[up] + v[down] + v[last] + v[row + 1] - 4 * c);
    out[row] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    let l = c; c = v[row+1];
    const d = down - row, u = up - row;
    for (let k = row + 1; k < last; k++) {
      const r = v[k + 1];
      x = c + alpha * (v[k+u] + v[k+d] + l + r - 4 * c);
      out[k] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
      l = c; c = r;
    }
    c = v[last]; x = c + alpha * (v[up + n - 1] + v[down + n - 1] + v[last - 1] + v[row] - 4 * c);
    out[last] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
  }
}
function C(v,out,n,alpha,rowStart,rowEnd){
  for (let i = rowStart; i < rowEnd; i++) {
    const row = i * n; const up = (i === 0 ? n - 1 : i - 1) * n; const down = (i === n - 1 ? 0 : i + 1) * n; const last = row + n - 1;
    let c = v[row]; let x = c + alpha * (v[up] + v[down] + v[last] + v[row + 1] - 4 * c);
    out[row] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    const U = v.subarray(up, up + n), D = v.subarray(down, down + n), R = v.subarray(row, row + n), O = out.subarray(row, row+n);
    let l = c; c = R[1];
    for (let j = 1; j < n - 1; j++) {
      const r = R[j + 1];
      x = c + alpha * (U[j] + D[j] + l + r - 4 * c);
      O[j] = Math.min(Math.max(x, CLAMP_MIN), CLAMP_MAX);
      l = c; c = r;
    }
    c = v[last]; x = c + alpha * (v[up + n - 1] + v[down + n - 1] + v[last - 1] + v[row] - 4 * c);
    out[last] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
  }
}
const n=256; let v=new Float64Array(n*n).map(()=>-0.07+Math.random()*0.01), o=new Float64Array(n*n);
for (const [name,f] of [['A',A],['B',B],['C',C],['A',A],['B',B],['C',C]]) {
  const w=new Float64Array(v); let x=w, y=new Float64Array(n*n);
  const t=process.hrtime.bigint(); for(let s=0;s<1000;s++){f(x,y,n,0.18,0,n); [x,y]=[y,x];}
  console.log(name, (Number(process.hrtime.bigint()-t)/1e6).toFixed(1),'ms', x[1234]);
}
