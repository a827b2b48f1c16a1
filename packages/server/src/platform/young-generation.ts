import { setFlagsFromString } from 'node:v8';

// V8 grows the young generation (new space) from 1 MiB per semi-space up to 16 MiB by doubling it
// when scavenges see many survivors: loading the server's modules did, and the two semi-spaces
// then stayed at 32 MiB committed while the server sat idle (~25 MiB of its idle RSS;
// decisions/0068). `serve` keeps the growth factor at 1 until the server is first used, then sets
// V8's default back, so a server under load has the young generation it had before.

/** V8's default `--semi-space-growth-factor` (node --v8-options, Node 20–22). */
const V8_DEFAULT_GROWTH = 2;

let small = false;

/** The young generation stays at its initial size (set before the server's modules load). */
export function keepYoungGenerationSmall(): void {
  small = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** From here on the young generation grows as V8 grows it by default (at the first use). */
export function letYoungGenerationGrow(): void {
  if (!small) return;
  small = false;
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
}
