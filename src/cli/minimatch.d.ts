/** The part of minimatch 3 (no bundled types) the command line's file matching uses. */
declare module 'minimatch' {
  interface MinimatchOptions {
    dot?: boolean;
    nobrace?: boolean;
    nocase?: boolean;
    nocomment?: boolean;
    nonegate?: boolean;
  }
  class Minimatch {
    constructor(pattern: string, options?: MinimatchOptions);
    /** per brace expansion, the path segments: a string for a literal segment, a matcher otherwise */
    set: (string | object)[][];
    match(path: string): boolean;
  }
  function minimatch(path: string, pattern: string, options?: MinimatchOptions): boolean;
  namespace minimatch {
    export { Minimatch, MinimatchOptions };
  }
  export = minimatch;
}
