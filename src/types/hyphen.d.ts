// The part of hyphen letterpress uses: Liang's patterns for English, applied synchronously.
declare module 'hyphen/en-us' {
  const hyphen: {
    hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number; exceptions?: string[] }): string;
  };
  export default hyphen;
}
