// Builds the scan benchmark's corpus: real lockfiles written by the real package managers from the npm registry and
// crates.io, cached under .cordon/bench-corpus (gitignored) and rebuilt only when a pinned tool or a dependency changes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Popular npm packages; every tool resolves them with `latest` tags on the day the corpus is built. */
const NPM_DEPS = [
  'next',
  'react',
  'react-dom',
  'webpack',
  '@babel/core',
  'eslint',
  'jest',
  'typescript',
  'express',
  'lodash',
  'axios',
  'moment',
  'dayjs',
  'rxjs',
  '@nestjs/core',
  '@nestjs/common',
  'mongoose',
  'sequelize',
  'pg',
  'mysql2',
  'ioredis',
  'socket.io',
  'graphql',
  '@apollo/client',
  'styled-components',
  '@emotion/react',
  '@mui/material',
  'tailwindcss',
  'postcss',
  'sass',
  'vite',
  'rollup',
  'esbuild',
  'ts-node',
  'nodemon',
  'prettier',
  'mocha',
  'chai',
  'sinon',
  'supertest',
  'puppeteer',
  '@aws-sdk/client-s3',
  'stripe',
  'nodemailer',
  'winston',
  'pino',
  'dotenv',
  'commander',
  'yargs',
  'chalk',
  'inquirer',
  'uuid',
  'jsonwebtoken',
  'passport',
  'helmet',
  'cors',
  'multer',
  'sharp',
  'date-fns',
  'zod',
  'joi',
  'react-hook-form',
  '@reduxjs/toolkit',
  'react-router-dom',
  '@angular/core',
  'vue',
  '@storybook/react',
];

/**
 * Yarn berry resolves every optional platform package of every version, and the registry reachable here lacks some
 * of them (e.g. `@next/swc-darwin-arm64`, `@rollup/rollup-android-arm-eabi`), so its project leaves out the packages
 * that pull those in; its builtin TypeScript patch also fails on TypeScript 7, hence the pin.
 */
const BERRY_SKIPPED = ['next', 'esbuild', 'sharp', 'tailwindcss', 'sass', 'puppeteer', 'vite', 'rollup', 'jest'];
const BERRY_PINS: Record<string, string> = { typescript: '5.9.3' };

const CARGO_TOML = `[package]
name = "bench-corpus"
version = "0.1.0"
edition = "2021"

[dependencies]
tokio = { version = "1", features = ["full"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
reqwest = { version = "0.12", features = ["json"] }
clap = { version = "4", features = ["derive"] }
axum = "0.8"
sqlx = { version = "0.8", features = ["postgres", "runtime-tokio"] }
tracing = "0.1"
tracing-subscriber = "0.3"
anyhow = "1"
thiserror = "2"
chrono = "0.4"
regex = "1"
rand = "0.9"
uuid = { version = "1", features = ["v4"] }
hyper = "1"
tonic = "0.13"
aws-sdk-s3 = "1"
diesel = { version = "2", features = ["postgres"] }
actix-web = "4"
`;

/** One generator: the tool (pinned), the project it locks, and the lockfile it must produce. */
interface Generator {
  name: string;
  tool: string;
  lockfile: string;
  files: Record<string, string>;
  command: string[];
  /** What the tool leaves behind that the corpus does not need (yarn's 300 MB package cache). */
  cleanup?: string[];
}

const packageJson = (deps: Record<string, string>): string =>
  JSON.stringify({ name: 'bench-corpus', version: '1.0.0', private: true, dependencies: deps }, null, 2);

const latest = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, 'latest']));

const GENERATORS: Generator[] = [
  {
    name: 'npm',
    tool: 'npm (the one on PATH)',
    lockfile: 'package-lock.json',
    files: { 'package.json': packageJson(latest(NPM_DEPS)) },
    command: [
      'npm',
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--legacy-peer-deps',
      '--no-audit',
      '--no-fund',
    ],
  },
  {
    name: 'pnpm',
    tool: 'pnpm@9.15.9',
    lockfile: 'pnpm-lock.yaml',
    files: { 'package.json': packageJson(latest(NPM_DEPS)) },
    command: ['npx', '--yes', 'pnpm@9.15.9', 'install', '--lockfile-only', '--ignore-scripts'],
  },
  {
    name: 'yarn-berry',
    tool: '@yarnpkg/cli-dist@4.9.2',
    lockfile: 'yarn.lock',
    files: {
      'package.json': packageJson({ ...latest(NPM_DEPS.filter((d) => !BERRY_SKIPPED.includes(d))), ...BERRY_PINS }),
      '.yarnrc.yml': 'nodeLinker: node-modules\nenableTelemetry: false\nenableGlobalCache: false\n',
      'yarn.lock': '',
    },
    command: ['npx', '--yes', '-p', '@yarnpkg/cli-dist@4.9.2', 'yarn', 'install', '--mode=update-lockfile'],
    cleanup: ['.yarn'],
  },
  {
    name: 'bun',
    tool: 'bun@1.2.23 (from the npm registry)',
    lockfile: 'bun.lock',
    files: { 'package.json': packageJson(latest(NPM_DEPS)) },
    command: ['npx', '--yes', 'bun@1.2.23', 'install', '--lockfile-only', '--ignore-scripts'],
  },
  {
    name: 'cargo',
    tool: 'cargo (the one on PATH)',
    lockfile: 'Cargo.lock',
    files: { 'Cargo.toml': CARGO_TOML, 'src/main.rs': 'fn main() {}\n' },
    command: ['cargo', 'generate-lockfile'],
  },
];

/** What happened to one generator: its lockfile and how long the tool took, or why there is none. */
export interface GeneratorStatus {
  name: string;
  tool: string;
  lockfile?: string;
  seconds?: number;
  cached?: boolean;
  skipped?: string;
}

/** Not generated: Yarn 1 has no lockfile-only mode (it would download every tarball), and no PyPI lock tool is here. */
export const NOT_GENERATED = {
  'yarn-classic': 'yarn 1 has no lockfile-only install; a full install would download ~1100 tarballs',
  pypi: 'no uv, poetry or pipenv on this machine; the bench does not install one',
};

/** Builds (or reuses) every lockfile of the corpus in parallel; a tool that fails is reported, not fatal. */
export async function ensureCorpus(dir: string): Promise<GeneratorStatus[]> {
  await mkdir(dir, { recursive: true });
  return Promise.all(GENERATORS.map((g) => generate(dir, g)));
}

async function generate(dir: string, g: Generator): Promise<GeneratorStatus> {
  const project = path.join(dir, g.name);
  const key = createHash('sha256')
    .update(JSON.stringify([g.tool, g.command, g.files]))
    .digest('hex');
  const stamp = path.join(project, '.corpus-key');
  const lockfile = path.join(project, g.lockfile);
  const base = { name: g.name, tool: g.tool };
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === key && existsSync(lockfile)) {
    return { ...base, lockfile: path.relative(dir, lockfile), cached: true };
  }
  await rm(project, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(g.files)) {
    await mkdir(path.dirname(path.join(project, rel)), { recursive: true });
    await writeFile(path.join(project, rel), text);
  }
  const started = performance.now();
  try {
    const [cmd, ...args] = g.command as [string, ...string[]];
    await exec(cmd, args, {
      cwd: project,
      timeout: 150_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: '1' },
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`
      .split('\n')
      .filter((l) => /error|YN0001|YN0082|fail/i.test(l));
    return {
      ...base,
      skipped: `${g.command.join(' ')} failed: ${(output.slice(0, 3).join(' | ') || e.message).slice(0, 400)}`,
    };
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (!existsSync(lockfile) || (await readFile(lockfile, 'utf8')).length === 0) {
    return { ...base, skipped: `${g.command.join(' ')} wrote no ${g.lockfile}` };
  }
  for (const rel of g.cleanup ?? []) await rm(path.join(project, rel), { recursive: true, force: true });
  await writeFile(stamp, key);
  return { ...base, lockfile: path.relative(dir, lockfile), seconds };
}
