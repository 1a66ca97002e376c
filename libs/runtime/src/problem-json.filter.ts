import { Catch, HttpException, HttpStatus } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { redactSecrets } from '@alphafeed/config';

/**
 * An RFC 9457 problem: `type` a URI naming the kind of problem (stable, for
 * clients to branch on), `title` its short summary, `status` the HTTP status,
 * `detail` this occurrence in words (what was wrong and what to do).
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

/** Problem types are URNs under this prefix: `urn:alphafeed:problem:<kind>`. */
export const PROBLEM_TYPE = 'urn:alphafeed:problem:';

/** Thrown by handlers and guards to answer with a given problem (and optional headers). */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem, problem.status);
  }
}

/** The parts of Express's request and response this filter uses (no @types/express in the tree). */
interface HttpRequest {
  readonly originalUrl?: string;
  readonly url?: string;
}
interface HttpResponse {
  status(code: number): this;
  setHeader(name: string, value: string): void;
  end(body: string): void;
}

/**
 * Every error of the controllers it is applied to, as an
 * `application/problem+json` body (RFC 9457) with `instance` = the request
 * path: a `ProblemException` as given, another Nest `HttpException` with its
 * status, anything else as 500 with its message (secrets redacted) — the
 * reason is in the answer, not only in the log.
 */
@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    const res = http.getResponse<HttpResponse>();
    const { problem, headers } = toProblem(exception);
    res.status(problem.status);
    res.setHeader('Content-Type', 'application/problem+json');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end(JSON.stringify({ ...problem, instance: req.originalUrl ?? req.url }));
  }
}

export function toProblem(exception: unknown): {
  problem: Problem;
  headers: Readonly<Record<string, string>>;
} {
  if (exception instanceof ProblemException)
    return { problem: exception.problem, headers: exception.headers };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      problem: {
        type: 'about:blank',
        title: statusTitle(status),
        status,
        detail: redactSecrets(exception.message),
      },
      headers: {},
    };
  }
  const message = exception instanceof Error ? exception.message : String(exception);
  return {
    problem: {
      type: `${PROBLEM_TYPE}internal`,
      title: 'Internal error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: redactSecrets(message),
    },
    headers: {},
  };
}

function statusTitle(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (name === undefined) return `HTTP ${status}`;
  return name
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}
