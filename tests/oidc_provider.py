"""A small OpenID Connect provider on loopback, for tests: discovery, JWKS, authorize, token.

It signs ID tokens with an RSA key generated per run (joserfc, the JOSE
library Authlib itself uses), checks PKCE (S256) at the token endpoint, and
lets a test spoil exactly one thing: the issuer in the token or in
discovery, the expiry, the nonce, the claims.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


class Provider:
    def __init__(self, client_id="bekwaam", client_secret="s3cret"):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.claims: dict = {}  # what the next login's ID token says besides the defaults
        self.token_issuer = None  # None: the real issuer
        self.discovery_issuer = None
        self.nonce_override = None
        self.server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _app(self) -> Flask:
        app = Flask("oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            base = self.issuer
            return jsonify({
                "issuer": self.discovery_issuer or base,
                "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
                "jwks_uri": f"{base}/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            })

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [self.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():
            args = request.args
            if args.get("client_id") != self.client_id or args.get("response_type") != "code":
                return "bad client or response type", 400
            code = secrets.token_urlsafe(16)
            self.codes[code] = dict(args)
            return redirect(f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args.get('state', '')})}")

        @app.post("/token")
        def token():
            form = request.form
            auth = request.authorization
            client_id = auth.username if auth else form.get("client_id")
            secret = auth.password if auth else form.get("client_secret")
            self.token_requests.append({"form": dict(form), "client_id": client_id})
            if (client_id, secret) != (self.client_id, self.client_secret):
                return jsonify({"error": "invalid_client"}), 401
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None:
                return jsonify({"error": "invalid_grant"}), 400
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant.get("code_challenge_method") != "S256" or challenge != grant.get("code_challenge"):
                return jsonify({"error": "invalid_grant", "error_description": "PKCE check failed"}), 400
            now = int(time.time())
            claims = {"iss": self.token_issuer or self.issuer, "sub": "user-1", "aud": self.client_id,
                      "iat": now, "exp": now + 300, "nonce": self.nonce_override or grant.get("nonce"),
                      "email": "sso.user@zkh.example", **self.claims}
            id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
            return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                            "expires_in": 300, "id_token": id_token})

        return app
