import { useId } from 'react';
import type { DeviceOption } from '../hooks/useMediaPreview';

interface Props {
  label: string;
  options: DeviceOption[];
  value: string;
  onChange: (deviceId: string) => void;
  disabled: boolean;
}

export function DevicePicker({ label, options, value, onChange, disabled }: Props) {
  const id = useId();
  const known = options.some((o) => o.deviceId === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={known ? value : ''}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
      >
        {!known && <option value="">{options.length ? 'Default' : 'None found'}</option>}
        {options.map((o) => (
          <option key={o.deviceId} value={o.deviceId}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
