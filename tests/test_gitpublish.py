"""Publishing to a git branch, checked by reading a local bare repository back."""

import subprocess
from pathlib import Path

import pytest

from generator.publish import git as gitpublish
from generator.content.errors import PublishError
from generator.publish.git import choose_author, parse_author, publish_git

pytestmark = pytest.mark.slow  # git processes

SITE = {
    "index.html": b"<!DOCTYPE html><title>chooser</title>\n",
    "sitemap.xml": b"<urlset/>\n",
    "en/index.html": b"<p>home</p>\r\n",  # CRLF must survive byte for byte
    "en/briefings/a/index.html": b"<p>a</p>\n",
    "assets/style.css": b"body{}\n",
    "en/index.html.gz": b"\x1f\x8b binary",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def remote(tmp_path, no_git_identity) -> Path:
    path = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def commits(remote: Path, branch: str = "gh-pages") -> list[str]:
    return git(remote, "rev-list", branch).split()


def test_first_publish_commits_exactly_the_site(remote):
    report = publish_git(SITE, str(remote))
    assert report.commit == git(remote, "rev-parse", "gh-pages").strip()
    assert report.parent is None
    names = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split("\n")
    assert sorted(filter(None, names)) == sorted([*SITE, ".nojekyll"])
    for rel, data in SITE.items():
        blob = subprocess.run(["git", "-C", str(remote), "cat-file", "blob", f"gh-pages:{rel}"], check=True, capture_output=True).stdout
        assert blob == data, rel
    assert sorted(report.added) == sorted([*SITE, ".nojekyll"])


def test_no_identity_needed_and_own_author(remote):
    publish_git(SITE, str(remote))
    assert git(remote, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "gh-pages").strip() == \
        "briefing publish <briefing-publish@localhost>|briefing publish <briefing-publish@localhost>"


def test_author_from_option_or_environment(remote, monkeypatch):
    monkeypatch.setenv("BRIEFING_GIT_AUTHOR", "Night Desk <night@example.org>")
    assert choose_author(None) == ("Night Desk", "night@example.org")
    assert choose_author("Ann Editor <ann@example.org>") == ("Ann Editor", "ann@example.org")
    publish_git(SITE, str(remote), author=choose_author(None))
    assert git(remote, "log", "-1", "--format=%an <%ae>", "gh-pages").strip() == "Night Desk <night@example.org>"
    with pytest.raises(PublishError, match="Name <email>"):
        parse_author("just a name")


def test_second_publish_unchanged_makes_no_commit(remote):
    first = publish_git(SITE, str(remote))
    again = publish_git(SITE, str(remote))
    assert again.commit is None and again.parent == first.commit
    assert commits(remote) == [first.commit]


def test_change_is_one_commit_on_top_touching_only_changed_files(remote):
    first = publish_git(SITE, str(remote))
    site = {**SITE, "en/index.html": b"<p>home, updated</p>\n", "ru/index.html": b"<p>ru</p>\n"}
    del site["en/briefings/a/index.html"]
    second = publish_git(site, str(remote), message="Evening edition")
    assert commits(remote) == [second.commit, first.commit]
    assert git(remote, "rev-parse", f"{second.commit}^").strip() == first.commit
    status = git(remote, "diff-tree", "-r", "--no-renames", "--name-status", first.commit, second.commit)
    assert sorted(status.splitlines()) == ["A\tru/index.html", "D\ten/briefings/a/index.html", "M\ten/index.html"]
    assert (second.added, second.modified, second.deleted) == (("ru/index.html",), ("en/index.html",), ("en/briefings/a/index.html",))
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip() == "Evening edition"


def test_default_message_counts_changes(remote):
    publish_git(SITE, str(remote))
    publish_git({**SITE, "en/index.html": b"new\n"}, str(remote))
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip() == "Publish site: 0 added, 1 changed, 0 removed"


def test_other_branches_untouched_and_custom_branch(remote, tmp_path):
    publish_git(SITE, str(remote), branch="site")
    assert git(remote, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/site"]


def test_relative_path_to_the_remote(remote, monkeypatch):
    monkeypatch.chdir(remote.parent)
    report = publish_git(SITE, "remote.git")
    assert commits(remote) == [report.commit]


def test_file_url_remote(remote):
    report = publish_git(SITE, remote.as_uri())
    assert commits(remote) == [report.commit]


def test_refuses_a_branch_holding_something_else(remote, tmp_path):
    work = tmp_path / "sources"
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    (work / "content").mkdir()
    (work / "content/site.yaml").write_text("title: x\n")
    git(work, "add", ".")
    git(work, "-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-q", "-m", "sources")
    git(work, "push", "-q", str(remote), "HEAD:refs/heads/main")
    tip = git(remote, "rev-parse", "main")
    with pytest.raises(PublishError, match="does not hold a published site"):
        publish_git(SITE, str(remote), branch="main")
    assert git(remote, "rev-parse", "main") == tip


def test_bad_branch_name_and_unreachable_remote(remote, tmp_path):
    with pytest.raises(PublishError, match="not a valid branch name"):
        publish_git(SITE, str(remote), branch="two words")
    with pytest.raises(PublishError, match="cannot reach"):
        publish_git(SITE, str(tmp_path / "no-such-repo.git"))
    assert commits_or_none(remote) is None


def commits_or_none(remote):
    done = subprocess.run(["git", "-C", str(remote), "rev-parse", "--verify", "-q", "gh-pages"], capture_output=True, text=True)
    return done.stdout.strip() or None


def test_someone_else_published_meanwhile(remote, monkeypatch):
    first = publish_git(SITE, str(remote))
    real_write_tree = gitpublish._Git.write_tree
    other = {}

    def racing_write_tree(self, files):
        # Another editor's publish lands between our fetch and our push.
        monkeypatch.setattr(gitpublish._Git, "write_tree", real_write_tree)
        other["report"] = publish_git({**SITE, "en/index.html": b"theirs\n"}, str(remote))
        return real_write_tree(self, files)

    monkeypatch.setattr(gitpublish._Git, "write_tree", racing_write_tree)
    with pytest.raises(PublishError, match="changed while publishing"):
        publish_git({**SITE, "en/index.html": b"ours\n"}, str(remote))
    assert commits(remote) == [other["report"].commit, first.commit], "the push must never be forced"


def test_never_touches_the_users_repository(remote, tmp_path, monkeypatch):
    user = tmp_path / "user"
    subprocess.run(["git", "init", "-q", str(user)], check=True)
    (user / "draft.md").write_text("unfinished")
    before = sorted(p.relative_to(user).as_posix() for p in user.rglob("*"))
    # As inside a git hook of the user's repository:
    monkeypatch.setenv("GIT_DIR", str(user / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(user))
    monkeypatch.setenv("GIT_INDEX_FILE", str(user / ".git" / "index"))
    monkeypatch.chdir(user)
    report = publish_git(SITE, str(remote))
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_WORK_TREE")
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert sorted(p.relative_to(user).as_posix() for p in user.rglob("*")) == before
    assert git(user, "for-each-ref").strip() == ""
    assert commits(remote) == [report.commit]


def test_global_config_cannot_alter_the_bytes(remote, tmp_path, monkeypatch, no_git_identity):
    config = tmp_path / "gitconfig"
    attributes = tmp_path / "attributes"
    ignore = tmp_path / "ignore"
    attributes.write_text("*.html text eol=crlf\n")
    ignore.write_text("*.gz\nassets/\n")
    config.write_text(f"[core]\n\tautocrlf = true\n\tattributesFile = {attributes}\n\texcludesFile = {ignore}\n"
                      "[commit]\n\tgpgSign = true\n[user]\n\tsigningKey = nonexistent\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    publish_git(SITE, str(remote))
    names = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert names == {*SITE, ".nojekyll"}
    blob = subprocess.run(["git", "-C", str(remote), "cat-file", "blob", "gh-pages:en/briefings/a/index.html"], check=True, capture_output=True).stdout
    assert blob == SITE["en/briefings/a/index.html"]
