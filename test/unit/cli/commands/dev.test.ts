// Where `cordon dev` binds: TEMPORAL_ADDRESS (what every other cordon command connects to) unless --port says
// otherwise, the Web UI on the front end's port + 1000 unless --ui-port says otherwise.
import { devAddress } from '../../../../cli/commands/dev';

describe('cordon dev address', () => {
  it('defaults to 127.0.0.1:7233 with the Web UI on 8233', () => {
    expect(devAddress({}, {})).toEqual({ ip: '127.0.0.1', port: 7233, uiPort: 8233 });
  });

  it('binds TEMPORAL_ADDRESS, localhost meaning 127.0.0.1', () => {
    expect(devAddress({}, { TEMPORAL_ADDRESS: '127.0.0.1:17433' })).toEqual({
      ip: '127.0.0.1',
      port: 17433,
      uiPort: 18433,
    });
    expect(devAddress({}, { TEMPORAL_ADDRESS: 'localhost:7300' })).toMatchObject({ ip: '127.0.0.1', port: 7300 });
    expect(devAddress({}, { TEMPORAL_ADDRESS: '[::1]:7300' })).toMatchObject({ ip: '::1', port: 7300 });
  });

  it('lets --port and --ui-port override', () => {
    expect(devAddress({ port: '9000', 'ui-port': '9100' }, { TEMPORAL_ADDRESS: '127.0.0.1:17433' })).toEqual({
      ip: '127.0.0.1',
      port: 9000,
      uiPort: 9100,
    });
  });

  it('refuses an address it cannot bind with one line (a user error)', () => {
    expect(() => devAddress({}, { TEMPORAL_ADDRESS: 'temporal.example.com' })).toThrow(/expected HOST:PORT/);
    expect(() => devAddress({ port: 'x' }, {})).toThrow(/--port: not a port: x/);
  });
});
