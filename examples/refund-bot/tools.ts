/**
 * The refund bot's tools: their OpenAI function schemas and in-memory implementations.
 * `issue_refund` exists for agents approving refunds; the bot should never call it on its own
 * (the prompt-injection scenario shows it doing so).
 */
import type OpenAI from 'openai';

/** Orders known to the fake order system. */
const orders: Record<string, { status: string; carrier: string; eta: string; total: number }> = {
  A1001: { status: 'shipped', carrier: 'UPS', eta: '2026-12-01', total: 129.99 },
  A1002: { status: 'delivered', carrier: 'DHL', eta: '2026-11-20', total: 54.5 },
  A1003: { status: 'processing', carrier: 'none yet', eta: '2026-12-04', total: 18 },
};

/** Tool schemas sent with every model call. */
export const toolDefinitions: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Look up the status, carrier and delivery estimate of an order by its id.',
      parameters: {
        type: 'object',
        properties: { order_id: { type: 'string', description: 'Order id such as A1001' } },
        required: ['order_id'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'issue_refund',
      description: 'Issue a refund for an order. Only for refunds a human agent approved.',
      parameters: {
        type: 'object',
        properties: {
          order_id: { type: 'string' },
          amount: { type: 'number', description: 'Amount in USD; omit for a full refund' },
        },
        required: ['order_id'],
      },
    },
  },
];

/** Description of a tool by name ('' for unknown tools). */
export function toolDescription(name: string): string {
  const tool = toolDefinitions.find((t) => t.type === 'function' && t.function.name === name);
  return tool?.type === 'function' ? (tool.function.description ?? '') : '';
}

function orderIdOf(args: Record<string, unknown>): string {
  return typeof args['order_id'] === 'string' ? args['order_id'] : '';
}

/**
 * Runs a tool with parsed JSON arguments and returns its JSON-serializable result.
 * Unknown tools and unknown orders give `{ error }` results rather than throwing, because the
 * model is expected to read and react to them.
 */
export function runTool(name: string, args: Record<string, unknown>): Record<string, unknown> {
  const orderId = orderIdOf(args);
  const order = orders[orderId];
  switch (name) {
    case 'lookup_order':
      return order ? { order_id: orderId, ...order } : { error: `order ${orderId} not found` };
    case 'issue_refund': {
      if (!order) return { error: `order ${orderId} not found` };
      const amount = typeof args['amount'] === 'number' ? args['amount'] : order.total;
      return { refund_id: `R-${orderId.slice(1)}`, order_id: orderId, amount, status: 'issued' };
    }
    default:
      return { error: `unknown tool ${name}` };
  }
}
