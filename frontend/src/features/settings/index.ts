export { SettingsScreen, type SettingsScreenProps, type SettingsSectionId } from './SettingsScreen';
export { GearButton } from './GearButton';
