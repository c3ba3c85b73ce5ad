/**
 * Decodes an OTLP `ExportLogsServiceRequest` in binary protobuf into the shape of its JSON
 * encoding (ids as hex, attributes as `{ key, value: { stringValue | intValue | … } }`), only
 * the fields the tests read. Written against opentelemetry-proto's logs.proto and common.proto
 * field numbers, independently of the exporter's serializer, so the test checks the wire.
 */

interface Field {
  no: number;
  /** varint or fixed value. */
  num?: bigint;
  bytes?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): bigint => {
    let out = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[i++]!;
      out |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return out;
    }
  };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (i < buf.length) {
    const tag = Number(varint());
    const no = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) yield { no, num: varint() };
    else if (wire === 1) {
      yield { no, num: view.getBigUint64(i, true), bytes: buf.subarray(i, i + 8) };
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      yield { no, bytes: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 5) {
      yield { no, num: BigInt(view.getUint32(i, true)) };
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('utf8');
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string; doubleValue?: number };

function anyValue(buf: Uint8Array): AnyValue {
  for (const f of fields(buf)) {
    if (f.no === 1) return { stringValue: text(f.bytes) };
    if (f.no === 2) return { boolValue: f.num === 1n };
    if (f.no === 3) return { intValue: BigInt.asIntN(64, f.num!).toString() };
    if (f.no === 4) return { doubleValue: new DataView(f.bytes!.buffer, f.bytes!.byteOffset, 8).getFloat64(0, true) };
  }
  return {};
}

function keyValue(buf: Uint8Array): { key: string; value: AnyValue } {
  let key = '';
  let value: AnyValue = {};
  for (const f of fields(buf)) {
    if (f.no === 1) key = text(f.bytes);
    else if (f.no === 2) value = anyValue(f.bytes!);
  }
  return { key, value };
}

function logRecord(buf: Uint8Array) {
  const r: { eventName?: string; traceId?: string; spanId?: string; severityNumber?: number; attributes: Array<ReturnType<typeof keyValue>> } = { attributes: [] };
  for (const f of fields(buf)) {
    if (f.no === 2) r.severityNumber = Number(f.num);
    else if (f.no === 6) r.attributes.push(keyValue(f.bytes!));
    else if (f.no === 9 && f.bytes!.length > 0) r.traceId = hex(f.bytes);
    else if (f.no === 10 && f.bytes!.length > 0) r.spanId = hex(f.bytes);
    else if (f.no === 12) r.eventName = text(f.bytes);
  }
  return r;
}

/** ExportLogsServiceRequest → its JSON-encoding shape. */
export function decodeLogsRequest(buf: Uint8Array) {
  const resourceLogs = [];
  for (const rl of fields(buf)) {
    if (rl.no !== 1) continue;
    const out = { resource: { attributes: [] as Array<ReturnType<typeof keyValue>> }, scopeLogs: [] as Array<{ scope: { name: string }; logRecords: Array<ReturnType<typeof logRecord>> }> };
    for (const f of fields(rl.bytes!)) {
      if (f.no === 1) for (const a of fields(f.bytes!)) if (a.no === 1) out.resource.attributes.push(keyValue(a.bytes!));
      if (f.no === 2) {
        const sl = { scope: { name: '' }, logRecords: [] as Array<ReturnType<typeof logRecord>> };
        for (const g of fields(f.bytes!)) {
          if (g.no === 1) for (const h of fields(g.bytes!)) if (h.no === 1) sl.scope.name = text(h.bytes);
          if (g.no === 2) sl.logRecords.push(logRecord(g.bytes!));
        }
        out.scopeLogs.push(sl);
      }
    }
    resourceLogs.push(out);
  }
  return { resourceLogs };
}
