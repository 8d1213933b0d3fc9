/** Hover: the markdown of the innermost engine HoverTarget at the position. */
import { MarkupKind, type Connection, type Hover } from 'vscode-languageserver/node';
import { guard, type ServerContext } from './context';
import { toOffset, toRange } from './convert';

export function registerHover(ctx: ServerContext, connection: Connection): void {
  connection.onHover((params, token) =>
    guard(ctx, 'hover', null, async (): Promise<Hover | null> => {
      const e = await ctx.lints.lint(params.textDocument.uri, token);
      if (!e) return null;
      const off = toOffset(e, params.position);
      let best: { range: { start: number; end: number }; markdown: string } | undefined;
      for (const w of e.result.workloads) {
        if (off < w.documentRange.start || off > w.documentRange.end) continue;
        for (const h of w.hovers) {
          if (h.range.start <= off && off <= h.range.end && (!best || h.range.end - h.range.start < best.range.end - best.range.start)) best = h;
        }
      }
      if (!best) return null;
      return { contents: { kind: MarkupKind.Markdown, value: best.markdown }, range: toRange(e, best.range) };
    }),
  );
}
