/** Types of own-source-map.cjs (plain CommonJS: the stack's afterBundling hook runs it with plain node). */
export interface SourceMapV3 {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
  [key: string]: unknown;
}
export declare function ownSourceMap(map: SourceMapV3): SourceMapV3;
export declare function rewriteSourceMapFile(file: string): { before: number; after: number };
