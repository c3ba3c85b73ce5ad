/**
 * `--feedback <file>` (snapshot, inspect): reads the feedback dumps next to the traces and
 * returns the join applied to every trace read (traces/feedback-join.ts), plus the summary line.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { parseFeedbackDump } from '../traces/feedback-dump.js';
import { joinFeedback, type FeedbackJoin } from '../traces/feedback-join.js';

/** Reads and parses every dump; a missing or unreadable file is an `InputError` naming it. */
export async function readFeedbackFiles(files: readonly string[]): Promise<FeedbackJoin> {
  const dumps = [];
  for (const file of files) {
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? 'feedback file not found' : 'cannot read feedback file', {
        file, expected: 'a LangSmith feedback JSONL or Langfuse scores JSON file', found: code ?? String(error),
      });
    }
    dumps.push(parseFeedbackDump(content, file));
  }
  return joinFeedback(dumps);
}

/** `feedback: 12 record(s) from 2 file(s), 10 joined, 2 about no trace read` (empty without files). */
export function feedbackSummary(join: FeedbackJoin, files: number): string {
  if (files === 0) return '';
  const { records, joined, skipped } = join.counts();
  const unjoined = records - joined;
  return `feedback: ${records} record(s) from ${files} file(s), ${joined} joined to traces read` +
    `${unjoined > 0 ? `, ${unjoined} about no trace read` : ''}${skipped > 0 ? `, ${skipped} session score(s) skipped` : ''}`;
}
