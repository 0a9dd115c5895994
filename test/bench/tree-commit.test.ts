// The commit a benchmark report names (bench/lib/report.ts treeCommit): a tree with uncommitted
// changes to tracked files is `<sha>+dirty`, so a figure is never credited to a commit that did
// not produce it. Integration project: it runs git.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { treeCommit } from '../../bench/lib/report.js';

let repo: string;
const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'penghubung-tree-commit-'));
  git('init', '--quiet');
  writeFileSync(join(repo, 'a.txt'), 'one\n');
  git('add', 'a.txt');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '--quiet', '-m', 'first');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

it('names a clean checkout by its short commit, a changed one <sha>+dirty, a folder outside git not at all', () => {
  const sha = git('rev-parse', '--short', 'HEAD');
  expect(treeCommit(repo)).toBe(sha);
  // Untracked files (a node_modules symlink in a before-tree) leave it clean.
  writeFileSync(join(repo, 'untracked.txt'), 'x\n');
  expect(treeCommit(repo)).toBe(sha);
  writeFileSync(join(repo, 'a.txt'), 'two\n');
  expect(treeCommit(repo)).toBe(`${sha}+dirty`);
  const outside = mkdtempSync(join(tmpdir(), 'penghubung-no-git-'));
  try {
    expect(treeCommit(outside)).toBeUndefined();
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});
