const CLAMP_MIN=-0.095, CLAMP_MAX=0.040, DA=0.1, DI=0.05, RA=0.01, RI=0.02;
function turingRow(a,h,aOut,hOut,row,up,down,n,threshold,firedSoFar,firedCells){
  let fired=firedSoFar; let aL=a[row], aC=a[row+1], hL=h[row], hC=h[row+1]; const last=row+n-1;
  for (let k=row+1,ku=up+1,kd=down+1;k<last;k++,ku++,kd++){
    const aR=a[k+1], hR=h[k+1];
    const aNew=aC+(DA*(a[ku]+a[kd]+aL+aR-4*aC)+RA*(aC*(1-aC)-hC));
    const hNew=hC+(DI*(h[ku]+h[kd]+hL+hR-4*hC)+RI*(aNew-hC));
    if (aNew>threshold) firedCells[fired++]=k;
    aOut[k]=aNew<0?0:aNew>1?1:aNew; hOut[k]=hNew<0?0:hNew>1?1:hNew;
    aL=aC;aC=aR;hL=hC;hC=hR;
  }
  return fired;
}
function diffRowA(v,out,row,up,down,n,alpha){
  const last=row+n-1;
  for (let k=row+1,ku=up+1,kd=down+1;k<last;k++,ku++,kd++){ const c=v[k]; const x=c+alpha*(v[ku]+v[kd]+v[k-1]+v[k+1]-4*c); out[k]=x<CLAMP_MIN?CLAMP_MIN:x>CLAMP_MAX?CLAMP_MAX:x; }
}
function diffRowB(v,out,row,up,down,n,alpha){
  const last=row+n-1; let l=v[row], c=v[row+1]; const du=up-row, dd=down-row;
  for (let k=row+1;k<last;k++){ const r=v[k+1]; const x=c+alpha*(v[k+du]+v[k+dd]+l+r-4*c); out[k]=x<CLAMP_MIN?CLAMP_MIN:x>CLAMP_MAX?CLAMP_MAX:x; l=c;c=r; }
}
function fused(a,h,aOut,hOut,v,out,row,up,down,n,alpha,threshold,firedSoFar,firedCells){
  let fired=firedSoFar; let aL=a[row], aC=a[row+1], hL=h[row], hC=h[row+1], vL=v[row], vC=v[row+1]; const last=row+n-1;
  for (let k=row+1,ku=up+1,kd=down+1;k<last;k++,ku++,kd++){
    const aR=a[k+1], hR=h[k+1], vR=v[k+1];
    const aNew=aC+(DA*(a[ku]+a[kd]+aL+aR-4*aC)+RA*(aC*(1-aC)-hC));
    const hNew=hC+(DI*(h[ku]+h[kd]+hL+hR-4*hC)+RI*(aNew-hC));
    if (aNew>threshold) firedCells[fired++]=k;
    aOut[k]=aNew<0?0:aNew>1?1:aNew; hOut[k]=hNew<0?0:hNew>1?1:hNew;
    const x=vC+alpha*(v[ku]+v[kd]+vL+vR-4*vC); out[k]=x<CLAMP_MIN?CLAMP_MIN:x>CLAMP_MAX?CLAMP_MAX:x;
    aL=aC;aC=aR;hL=hC;hC=hR;vL=vC;vC=vR;
  }
  return fired;
}
const n=256, N=n*n; const mk=(f)=>{const x=new Float64Array(N); for(let i=0;i<N;i++)x[i]=f(); return x;};
const fc=new Int32Array(N);
function run(kind){
  let v=mk(()=>-0.07+Math.random()*0.01), vo=new Float64Array(N), a=mk(()=>Math.random()*0.1), h=mk(()=>Math.random()*0.1), ao=new Float64Array(N), ho=new Float64Array(N);
  const t=process.hrtime.bigint();
  for(let s=0;s<1000;s++){
    for(let i=0;i<n;i++){ const row=i*n, up=(i===0?n-1:i-1)*n, down=(i===n-1?0:i+1)*n;
      if(kind==='sep'){ turingRow(a,h,ao,ho,row,up,down,n,0.75,0,fc); diffRowA(v,vo,row,up,down,n,0.18);} 
      else if(kind==='sepB'){ turingRow(a,h,ao,ho,row,up,down,n,0.75,0,fc); diffRowB(v,vo,row,up,down,n,0.18);} 
      else fused(a,h,ao,ho,v,vo,row,up,down,n,0.18,0.75,0,fc);
    }
    [v,vo]=[vo,v];[a,ao]=[ao,a];[h,ho]=[ho,h];
  }
  return Number(process.hrtime.bigint()-t)/1e6;
}
for (const k of ['sep','sepB','fused','sep','sepB','fused']) console.log(k, run(k).toFixed(0));
