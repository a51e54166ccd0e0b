import { describe, expect, it } from '@jest/globals';
import { connectHost, forwardSpec, parseForwards, portsMap, remoteKey } from '../src/forwards.js';

describe('parseForwards', () => {
  it('reads local_port:remote_host:remote_port with the default bind 127.0.0.1', () => {
    const { forwards, problems } = parseForwards('5432:db.internal:5432');
    expect(problems).toEqual([]);
    expect(forwards).toEqual([{ bind: '127.0.0.1', localPort: 5432, remoteHost: 'db.internal', remotePort: 5432, auto: false, line: 1 }]);
  });

  it('reads an explicit bind address and IPv6 addresses in brackets', () => {
    const { forwards, problems } = parseForwards('127.0.0.2:6000:cache:6379\n[::1]:6001:[fd00::5]:6379');
    expect(problems).toEqual([]);
    expect(forwards.map((f) => [f.bind, f.localPort, f.remoteHost, f.remotePort])).toEqual([
      ['127.0.0.2', 6000, 'cache', 6379],
      ['::1', 6001, 'fd00::5', 6379],
    ]);
    expect(forwardSpec(forwards[1])).toBe('[::1]:6001:[fd00::5]:6379');
    expect(remoteKey(forwards[1])).toBe('[fd00::5]:6379');
  });

  it('marks local port 0 as picked by the action', () => {
    const { forwards } = parseForwards('0:db:5432');
    expect(forwards[0]).toMatchObject({ localPort: 0, auto: true });
  });

  it('skips blank lines and comments and numbers lines as written', () => {
    const { forwards } = parseForwards('\n# the database\n  5432:db:5432  \n\n6379:cache:6379\n');
    expect(forwards.map((f) => f.line)).toEqual([3, 5]);
  });

  it.each([
    ['5432:db', 'has 2 fields'],
    ['5432:db:5432:x:y', 'has 5 fields'],
    ['abc:db:5432', "local port 'abc' is not a number from 0 to 65535"],
    ['70000:db:5432', "local port '70000' is not a number from 0 to 65535"],
    ['5432:db:0', "remote port '0' is not a number from 1 to 65535"],
    ['5432:db:', "remote port '' is not a number"],
    ['5432:db_$:5432', "remote host 'db_$' is not a host name or IP address"],
    ['5432::5432', 'remote host is empty'],
    ['bad host:5432:db:5432', 'contains spaces'],
    ['[::1:5432:db:5432', 'unbalanced'],
  ])('refuses %s, naming the line and the expected form', (line, why) => {
    const { forwards, problems } = parseForwards(line);
    expect(forwards).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`line 1 '${line}'`);
    expect(problems[0]).toContain(why);
    expect(problems[0]).toContain('[bind:]local_port:remote_host:remote_port');
  });

  it('reports every bad line, not just the first', () => {
    const { problems } = parseForwards('x:db:1\n5432:db:5432\ny:db:2');
    expect(problems.map((p) => p.slice(0, 6))).toEqual(['line 1', 'line 3']);
  });

  it('refuses the same fixed local port twice but allows several 0s', () => {
    expect(parseForwards('5432:a:5432\n5432:b:5432').problems[0]).toContain('local port 5432 is already used by line 1');
    expect(parseForwards('0:a:5432\n0:b:5432').problems).toEqual([]);
  });

  it('warns when a forward listens beyond loopback', () => {
    expect(parseForwards('0.0.0.0:5432:db:5432').warnings[0]).toContain('binds 0.0.0.0');
    expect(parseForwards('localhost:5432:db:5432').warnings).toEqual([]);
  });
});

describe('ports output and connect addresses', () => {
  it('maps remote_host:remote_port to the local port, the first forward winning', () => {
    const { forwards } = parseForwards('5432:db:5432\n6000:cache:6379\n5433:db:5432');
    expect(portsMap(forwards)).toEqual({ 'db:5432': 5432, 'cache:6379': 6000 });
  });

  it('connects to loopback for wildcard binds', () => {
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1');
    expect(connectHost('*')).toBe('127.0.0.1');
    expect(connectHost('::')).toBe('::1');
    expect(connectHost('127.0.0.2')).toBe('127.0.0.2');
  });
});
