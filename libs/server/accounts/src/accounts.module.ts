import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AccountsService } from './accounts.service';
import { JwtStrategy } from './jwt.strategy';
import { JwtAuthGuard } from './jwt-auth.guard';
import { SessionRepository } from './session.repository';
import { SessionCache } from './session-cache';
import { JWT_ALGORITHM, jwtKey, TokenService } from './token.service';
import { UserRepository } from './user.repository';
import { InstanceSettingsRepository } from './registration/instance-settings.repository';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // a KeyObject, not the string: jsonwebtoken would otherwise try to parse the string as a
        // PEM key (and throw) before using it as an HMAC secret, on every sign and verify
        secret: jwtKey(config.auth.jwtSecret),
        signOptions: { algorithm: JWT_ALGORITHM },
        verifyOptions: { algorithms: [JWT_ALGORITHM] },
      }),
    }),
  ],
  providers: [AccountsService, UserRepository, SessionRepository, SessionCache, TokenService, JwtStrategy, JwtAuthGuard, InstanceSettingsRepository],
  exports: [AccountsService, TokenService, JwtAuthGuard, UserRepository, InstanceSettingsRepository],
})
export class AccountsModule {}
