// The part of node-forge letterpress uses: reading a PKCS#12 file (node's crypto cannot).
declare module 'node-forge' {
  interface ByteStringBuffer {
    getBytes(): string;
  }
  interface Asn1 {
    readonly __asn1: unique symbol;
  }
  interface Certificate {
    readonly __certificate: unique symbol;
  }
  interface PrivateKey {
    readonly __key: unique symbol;
  }
  interface Bag {
    /** Null when forge cannot read the certificate (a non-RSA key in it or its issuer's): then `asn1` holds it. */
    cert?: Certificate | null;
    asn1?: Asn1;
    key?: PrivateKey;
  }
  interface Pkcs12 {
    getBags(filter: { bagType: string }): Record<string, Bag[] | undefined>;
  }
  const forge: {
    util: { createBuffer(bytes: string): ByteStringBuffer };
    asn1: { fromDer(bytes: ByteStringBuffer): Asn1; toDer(asn1: Asn1): ByteStringBuffer };
    pkcs12: { pkcs12FromAsn1(asn1: Asn1, strict: boolean, password: string): Pkcs12 };
    pki: {
      oids: Record<string, string>;
      certificateToAsn1(cert: Certificate): Asn1;
      privateKeyToPem(key: PrivateKey): string;
    };
  };
  export default forge;
}
