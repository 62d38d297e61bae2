/**
 * The bundling alias for @mongodb-js/saslprep (lib/bundling/saslprep.cjs): printable ASCII is returned
 * as it is without building the package's Unicode tables; anything else gives exactly the package's
 * answer or error. Checked on the shim as esbuild bundles it with the stack's aliases, against the
 * package itself.
 */
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/app.ts';
import { BUNDLE_ALIASES } from '../../lib/bundling/options.ts';

type Saslprep = (input: string, opts?: { allowUnassigned?: boolean }) => string;

const nodeRequire = createRequire(import.meta.url);
const packaged: Saslprep = nodeRequire('@mongodb-js/saslprep');

/**
 * The shim bundled as the driver imports it, with the stack's aliases; `required` records the Node
 * built-ins it loads at run time (through require() or, as the aliases load them, process.getBuiltinModule).
 */
async function bundledShim(): Promise<{ saslprep: Saslprep; required: string[] }> {
  const result = await build({
    stdin: { contents: "const { saslprep } = require('@mongodb-js/saslprep'); module.exports = saslprep;", resolveDir: PROJECT_ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    absWorkingDir: PROJECT_ROOT,
    alias: BUNDLE_ALIASES,
    logLevel: 'silent',
  });
  const required: string[] = [];
  const recordingRequire = (name: string) => {
    required.push(name);
    return nodeRequire(name);
  };
  const recordingProcess = Object.create(process, {
    getBuiltinModule: {
      value: (name: string) => {
        required.push(name.replace(/^node:/, ''));
        return process.getBuiltinModule(name);
      },
    },
  });
  const module = { exports: {} as Saslprep };
  new Function('module', 'exports', 'require', 'process', result.outputFiles![0].text)(module, module.exports, recordingRequire, recordingProcess);
  return { saslprep: module.exports, required };
}

/** The answer or the error message, so both sides compare whichever way they end. */
function outcome(fn: Saslprep, input: string, opts?: { allowUnassigned?: boolean }): { value?: string; error?: string } {
  try {
    return { value: fn(input, opts) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('saslprep bundled through the alias', () => {
  let shim: Awaited<ReturnType<typeof bundledShim>>;
  beforeAll(async () => {
    shim = await bundledShim();
  });

  it('returns every printable ASCII character and string as the package does, without loading the package', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
    for (const char of printable) expect(shim.saslprep(char), JSON.stringify(char)).toBe(packaged(char));
    const passwords = ['', ' ', 'pencil', 'p@ss:word/%40?#[]', printable.join(''), 'Atlas-Generated_Pw0rd~', '  leading and trailing  '];
    for (const password of passwords) expect(shim.saslprep(password), password).toBe(packaged(password));
    // The package's tables are built by its code-points module, which gunzips with zlib at import.
    expect(shim.required).not.toContain('zlib');
  });

  it('gives the package answer or error for everything else, loading it on first use', () => {
    const inputs = [
      'I\u00ADX', // soft hyphen: mapped to nothing
      'user\u00A0name', // no-break space: mapped to space
      '\u00AA', // NFKC: ordinal indicator to "a"
      '\u2168', // NFKC: Roman numeral nine to "IX"
      'pässwörd', // Latin-1 letters stay
      'пароль', // Cyrillic
      '密码', // CJK
      '\u{1F600}', // astral plane (surrogate pair)
      'tab\there', // ASCII control: prohibited
      '\u0007', // BEL: prohibited
      '\u007F', // DEL: prohibited
      '\u0627\u0031', // RandALCat not last: error
      '\u0627\u0031\u0628', // RandALCat first and last: allowed
      '\u0627a', // RandALCat and LCat together: error
      '\u0221', // unassigned in Unicode 3.2
    ];
    for (const input of inputs) expect(outcome(shim.saslprep, input), JSON.stringify(input)).toEqual(outcome(packaged, input));
    expect(outcome(shim.saslprep, '\u0221', { allowUnassigned: true })).toEqual(outcome(packaged, '\u0221', { allowUnassigned: true }));
    expect(shim.required).toContain('zlib');
  });

  it('keeps the package API the driver uses (named, default and module export)', () => {
    expect(typeof shim.saslprep).toBe('function');
    const exported = shim.saslprep as Saslprep & { saslprep: Saslprep; default: Saslprep };
    expect(exported.saslprep).toBe(exported);
    expect(exported.default).toBe(exported);
    expect(() => exported(42 as unknown as string)).toThrow(TypeError);
  });
});
