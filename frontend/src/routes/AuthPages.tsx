import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, call, errorText, type Schemas } from "../client/api";
import { Brand } from "../components/ui/Brand";

function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={400}>
        <Stack>
          <Brand />
          <Title order={2}>{title}</Title>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/** After log-in or sign-up: store who is signed in, then go on. The cache may still hold the
 *  "nobody" answer that sent us here, and the studio's guard would read it and bounce back. */
function useAfterSignIn() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return async (result: { user: Schemas["UserPublic"] }) => {
    await qc.cancelQueries({ queryKey: ["me"] });
    qc.setQueryData(["me"], result.user);
    const next = params.get("next");
    navigate(next && next.startsWith("/") ? next : "/", { replace: true });
  };
}

export function LoginPage() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const done = useAfterSignIn();
  const [params] = useSearchParams();
  const login = useMutation({
    mutationFn: () => call(api.POST("/api/auth/login", { body: { username, password } })),
    onSuccess: done,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <AuthCard title="Log in">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="Username or email"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            required
            autoComplete="username"
            autoFocus
          />
          <PasswordInput
            label="Password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            autoComplete="current-password"
          />
          {login.isError && (
            <Text c="red" size="sm" role="alert">
              {errorText(login.error)}
            </Text>
          )}
          <Button type="submit" loading={login.isPending}>
            Log in
          </Button>
          <Text size="sm">
            No account yet?{" "}
            <Anchor component={Link} to={`/signup?${params}`}>
              Sign up
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}

/** The invitation a visitor arrived with (its link sends them here via `next`): servers with
 *  SIGNUP=invite accept a sign-up only with one. */
function invitationToken(params: URLSearchParams): string | null {
  const fromLink = /^\/invitations\/([^/?#]+)/.exec(params.get("next") ?? "");
  return params.get("invitation") ?? (fromLink ? decodeURIComponent(fromLink[1]) : null);
}

export function SignUpPage() {
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const done = useAfterSignIn();
  const [params] = useSearchParams();
  const invitation = invitationToken(params);
  const signup = useMutation({
    mutationFn: () =>
      call(api.POST("/api/auth/signup", { body: { username, password, email: email || null, invitation } })),
    onSuccess: done,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signup.mutate();
  };
  return (
    <AuthCard title="Create your account">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="Username"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            required
            autoComplete="username"
            autoFocus
          />
          <TextInput
            label="Email (optional)"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            autoComplete="email"
          />
          <PasswordInput
            label="Password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            autoComplete="new-password"
            description="At least 10 characters, not a common one"
          />
          {signup.isError && (
            <Text c="red" size="sm" role="alert">
              {errorText(signup.error)}
            </Text>
          )}
          <Button type="submit" loading={signup.isPending}>
            Sign up
          </Button>
          <Text size="sm">
            Already have an account?{" "}
            <Anchor component={Link} to={`/login?${params}`}>
              Log in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
