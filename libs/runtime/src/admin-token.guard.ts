import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ConfigError, readSecret } from '@alphafeed/config';
import type { RegionConfig, Secret } from '@alphafeed/config';
import { PROBLEM_TYPE, ProblemException } from './problem-json.filter';
import { CONFIG } from './tokens';

interface HttpRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: { readonly remoteAddress?: string };
}

/** RFC 6750 b64token. */
const B64_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const REALM = 'Bearer realm="alphafeed"';

/**
 * Guards the admin endpoints (`POST /train`) with a bearer token (RFC 6750):
 * `Authorization: Bearer <token>`, the token from `ALPHAFEED_ADMIN_TOKEN`,
 * `ALPHAFEED_ADMIN_TOKEN_FILE` or `streaming.security.admin.token_file`,
 * compared in constant time. Missing or wrong token: 401 with
 * `WWW-Authenticate`. With no token configured at all, only loopback clients
 * are let in (the local `curl -X POST 127.0.0.1:8083/train` of the README),
 * others get 403 saying how to configure one: an admin endpoint is never open
 * to the network by default.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly token: Secret | null;

  constructor(@Inject(CONFIG) config: RegionConfig) {
    this.token = readSecret('ALPHAFEED_ADMIN_TOKEN', process.env, config.streaming.security.admin.token_file);
    if (this.token !== null && !B64_TOKEN.test(this.token.reveal())) {
      throw new ConfigError(
        'environment',
        'ALPHAFEED_ADMIN_TOKEN',
        'the admin token must be 1 or more of A-Z a-z 0-9 - . _ ~ + / (then optional "="), the characters a bearer token may have (RFC 6750); e.g. openssl rand -hex 32',
      );
    }
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    if (this.token === null) {
      if (LOOPBACK.test(req.socket?.remoteAddress ?? '')) return true;
      throw new ProblemException({
        type: `${PROBLEM_TYPE}admin-token-not-configured`,
        title: 'Admin endpoint closed to remote clients',
        status: 403,
        detail:
          'no admin token is configured, so admin endpoints answer loopback clients only; set ALPHAFEED_ADMIN_TOKEN or ALPHAFEED_ADMIN_TOKEN_FILE (or streaming.security.admin.token_file) and send Authorization: Bearer <token>',
      });
    }
    const header = req.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined || value === '') {
      throw unauthorized('missing-token', 'no Authorization header; send Authorization: Bearer <token>', '');
    }
    const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(value);
    if (m === null) {
      throw unauthorized(
        'bad-token',
        'the Authorization header is not "Bearer <token>"',
        ', error="invalid_request"',
      );
    }
    if (!this.token.equals(m[1])) {
      throw unauthorized('bad-token', 'the bearer token is not the admin token', ', error="invalid_token"');
    }
    return true;
  }
}

function unauthorized(kind: string, detail: string, error: string): ProblemException {
  return new ProblemException(
    { type: `${PROBLEM_TYPE}${kind}`, title: 'Admin token required', status: 401, detail },
    { 'WWW-Authenticate': `${REALM}${error}` },
  );
}
