/** A small unified diff (line based, LCS) for --fix-dry-run. Files are manifests: quadratic is fine up to a limit. */
export function unifiedDiff(name: string, a: string, b: string, context = 3): string {
  const x = a.split('\n');
  const y = b.split('\n');
  // Trim common prefix/suffix, then LCS on the middle.
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const xm = x.slice(pre, x.length - suf);
  const ym = y.slice(pre, y.length - suf);
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  if (xm.length * ym.length > 4_000_000) {
    for (const l of xm) ops.push({ op: '-', line: l });
    for (const l of ym) ops.push({ op: '+', line: l });
  } else {
    const dp: number[][] = Array.from({ length: xm.length + 1 }, () => new Array<number>(ym.length + 1).fill(0));
    for (let i = xm.length - 1; i >= 0; i--)
      for (let j = ym.length - 1; j >= 0; j--) dp[i]![j] = xm[i] === ym[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < xm.length || j < ym.length) {
      if (i < xm.length && j < ym.length && xm[i] === ym[j]) {
        ops.push({ op: ' ', line: xm[i]! });
        i++;
        j++;
      } else if (i < xm.length && (j >= ym.length || dp[i + 1]![j]! >= dp[i]![j + 1]!)) ops.push({ op: '-', line: xm[i++]! });
      else ops.push({ op: '+', line: ym[j++]! });
    }
  }
  const before = x.slice(Math.max(0, pre - context), pre).map((line) => ({ op: ' ' as const, line }));
  const after = x.slice(x.length - suf, Math.min(x.length, x.length - suf + context)).map((line) => ({ op: ' ' as const, line }));
  const all = [...before, ...ops, ...after];
  const startA = Math.max(0, pre - context) + 1;
  const countA = all.filter((o) => o.op !== '+').length;
  const countB = all.filter((o) => o.op !== '-').length;
  return [`--- a/${name}`, `+++ b/${name}`, `@@ -${startA},${countA} +${startA},${countB} @@`, ...all.map((o) => o.op + o.line)].join('\n') + '\n';
}
