import type { UserWire } from '../../protocol/wire.ts';
import { Avatar } from './avatar.tsx';

interface PeoplePickerProps {
  people: UserWire[];
  selected: ReadonlySet<string>;
  onToggle: (userId: string) => void;
  label: string;
}

/** Checkboxes for choosing people, each with name, title and groups. */
export function PeoplePicker({ people, selected, onToggle, label }: PeoplePickerProps) {
  return (
    <fieldset className="people-picker">
      <legend>{label}</legend>
      <ul>
        {people.map((person) => (
          <li key={person.id}>
            <label className="people-option">
              <input
                type="checkbox"
                checked={selected.has(person.id)}
                onChange={() => onToggle(person.id)}
                data-testid="people-option"
                data-user-id={person.id}
              />
              <Avatar name={person.name} size="sm" />
              <span className="people-option-text">
                <span className="person-name">{person.name}</span>
                <span className="person-title">
                  {person.title} · {person.groups.join(', ')}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
