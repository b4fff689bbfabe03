/**
 * Every run of a worker job, recorded for the debug timeline (system-level: the worker records before
 * it knows whether the job's company still exists). Recording never fails a job: a lost row costs a
 * line in the timeline, not a retry.
 */
import { poolOf, type Db } from "../client.js";

export interface JobRun {
  queue: string;
  jobName: string;
  jobId: string;
  attempt: number;
  correlationId: string;
  companyId?: string | null;
}

export type JobOutcome = "completed" | "failed" | "gave_up";

export const recordJobStart = async (db: Db, run: JobRun): Promise<string | null> => {
  try {
    const { rows } = await poolOf(db).query<{ id: string }>({
      name: "askproai_job_attempt_start",
      text: `INSERT INTO job_attempts (id, company_id, queue, job_name, job_id, correlation_id, attempt, started_at, outcome)
             SELECT gen_random_uuid(), c.id, $2, $3, $4, $5, $6, now(), 'running'
             FROM (SELECT $1::uuid AS wanted) w LEFT JOIN companies c ON c.id = w.wanted
             RETURNING id`,
      values: [run.companyId ?? null, run.queue, run.jobName, run.jobId, run.correlationId, run.attempt],
    });
    return rows[0]?.id ?? null;
  } catch {
    return null;
  }
};

export const recordJobEnd = async (db: Db, attemptId: string | null, outcome: JobOutcome, error?: string) => {
  if (!attemptId) return;
  await poolOf(db)
    .query({
      name: "askproai_job_attempt_end",
      text: "UPDATE job_attempts SET finished_at = now(), outcome = $2, error = $3 WHERE id = $1::uuid",
      values: [attemptId, outcome, error?.split("\n")[0]?.slice(0, 500) ?? null],
    })
    .catch(() => undefined);
};
