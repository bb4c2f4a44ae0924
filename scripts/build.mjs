// Bundles the bot (bot/main.ts) into dist/bot.mjs, which `npm start`, `npm run web` and
// `npm run worker` run with plain Node. Run through tsx, a bot process held about 150 MiB more:
// tsx's loader thread keeps its own copy of every module it transformed, dependencies included,
// which alone broke the 300 MB a process may use. Dependencies stay in node_modules, loaded by Node.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Our modules find their files (migrations, the sandbox page) beside their own source, through
 * import.meta.url; in one bundle that would be dist/. Each module keeps its source file's URL.
 */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const outfile = join(root, 'dist/bot.mjs');
const { outputFiles } = await build({
  entryPoints: [join(root, 'bot/main.ts')],
  outfile,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.12',
  packages: 'external',
  plugins: [sourceLocations],
  logLevel: 'warning',
});
// Written whole, then renamed into place: a build running beside a starting bot (two test runs at
// once) never lets it read half a file.
const partial = `${outfile}.${process.pid}.partial`;
await mkdir(dirname(outfile), { recursive: true });
await writeFile(partial, outputFiles[0].contents);
await rename(partial, outfile);
